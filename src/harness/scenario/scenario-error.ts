import { FaultlineError } from '../output/errors.ts';

// Every way a scenario can be wrong ends up here, so the CLI prints the same shape for a YAML
// typo, a schema violation or a bad --set: one line per problem, editor-clickable.

export interface ScenarioProblem {
  /** Dotted path to the field ("workload.loop.rate", "checks[0]"); empty for whole-file problems. */
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export class ScenarioError extends FaultlineError {
  override readonly name: string = 'ScenarioError';

  constructor(
    readonly file: string,
    readonly problems: readonly ScenarioProblem[],
  ) {
    super(formatProblems(file, problems));
  }

  /** One line per problem: `<file>:<line>:<col>: <path>: <message>`. */
  format(): string {
    return formatProblems(this.file, this.problems);
  }

  override userLines(): string[] {
    return this.format().split('\n');
  }
}

export function formatProblem(file: string, problem: ScenarioProblem): string {
  let where = file;
  if (problem.line !== undefined) {
    where += `:${problem.line}`;
    if (problem.column !== undefined) where += `:${problem.column}`;
  }
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

function formatProblems(file: string, problems: readonly ScenarioProblem[]): string {
  return problems.map((problem) => formatProblem(file, problem)).join('\n');
}
