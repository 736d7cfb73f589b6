import { LineCounter, parseDocument } from 'yaml';
import { formatPath, startsWith } from '../scenario/dotted-path.ts';
import type { LoadedScenario } from '../scenario/load-scenario.ts';
import { parseScenario } from '../scenario/parse-scenario.ts';
import { ScenarioError, type ScenarioProblem } from '../scenario/scenario-error.ts';
import type { Scenario } from '../scenario/schema.ts';
import { parseOverride } from '../scenario/set-overrides.ts';
import { locate } from '../scenario/yaml-locations.ts';
import { assignmentArg, expandMatrix, type MatrixDimension, type MatrixVariant } from './expand-matrix.ts';
import { checkMatrixPath } from './matrix-paths.ts';
import { formatValue } from '../compare/variant-label.ts';

// Everything about a matrix that can be wrong is found here, before any server starts: a bad
// path, a --set fighting a dimension, and any variant that would not validate as a scenario.
// Each variant is the scenario file with its values applied exactly as --set applies them (to
// the YAML document, before validation), so it is checked exactly like a file written by hand.

export interface PlannedVariant extends MatrixVariant {
  /** Validated, with the matrix removed: a plain scenario, run like any other. */
  readonly scenario: Scenario;
}

export interface MatrixPlan {
  readonly file: string;
  readonly name: string;
  readonly seed: number;
  readonly dimensions: readonly MatrixDimension[];
  readonly variants: readonly PlannedVariant[];
}

/**
 * The variants of a loaded scenario; undefined when it has no matrix. Throws ScenarioError.
 * `file` names the file in messages (as the user typed it; default the absolute path).
 */
export function planMatrix(loaded: LoadedScenario, setArgs: readonly string[] = [], file: string = loaded.file): MatrixPlan | undefined {
  const { scenario, source } = loaded;
  if (!scenario.matrix) return undefined;
  // A matrix edited by --set no longer matches the file's, so its values are not located there.
  const where = matrixLocator(source, setArgs.some((arg) => /^\s*matrix\b/.test(arg)));
  const dimensions: MatrixDimension[] = [];
  const problems: ScenarioProblem[] = [];
  for (const [key, values] of Object.entries(scenario.matrix)) {
    const path = checkMatrixPath(key);
    if (typeof path === 'string') problems.push({ path: formatPath(['matrix', key]), ...where([key], 'key'), message: path });
    else dimensions.push({ key, path, values });
  }
  problems.push(...setConflicts(dimensions, setArgs));
  if (problems.length > 0) throw new ScenarioError(file, problems);

  const blamed: VariantProblem[] = [];
  const variants = expandMatrix(dimensions).map((variant) => {
    const args = variant.assignments.map(assignmentArg);
    try {
      const { matrix: _matrix, ...plain } = parseScenario(source, file, [...setArgs, ...args]);
      return { ...variant, scenario: plain };
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      blamed.push(...error.problems.map((problem) => blameVariant(problem, variant, args, dimensions, where)));
      return undefined;
    }
  });
  if (blamed.length > 0) throw new ScenarioError(file, mergeVariants(blamed));
  return {
    file,
    name: scenario.name,
    seed: scenario.seed,
    dimensions,
    variants: variants.filter((variant): variant is PlannedVariant => variant !== undefined),
  };
}

type Locator = (path: readonly PropertyKey[], target: 'key' | 'value') => { line?: number; column?: number };

/**
 * Finds places under `matrix:` in the file, for problems an editor can jump to. A key or value
 * that came from --set is not in the file: no line beats the line of a neighbour.
 */
function matrixLocator(source: string, keysOnly: boolean): Locator {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  return (path, target) => {
    const inFile = doc.hasIn(['matrix', ...path]) && !(keysOnly && path.length > 1);
    return inFile ? (locate(doc, lines, ['matrix', ...path], target) ?? {}) : {};
  };
}

// A --set on a dimension would either be overwritten by every variant or overwrite every variant;
// both are surprises, so the user is told how to narrow the matrix instead. --set matrix[...] is
// how a matrix is edited from the command line, and is fine.
function setConflicts(dimensions: readonly MatrixDimension[], setArgs: readonly string[]): ScenarioProblem[] {
  return setArgs.flatMap((arg) => {
    const override = parseOverride(arg);
    if (typeof override === 'string' || override.path[0] === 'matrix') return [];
    const clash = dimensions.find((d) => startsWith(d.path, override.path) || startsWith(override.path, d.path));
    if (!clash) return [];
    const message =
      `--set ${arg} conflicts with the matrix dimension ${clash.key}, which every variant sets; ` +
      `to run fewer values narrow the matrix instead: --set 'matrix[${JSON.stringify(clash.key)}]=[...]'`;
    return [{ path: 'matrix', message }];
  });
}

interface VariantProblem {
  readonly problem: ScenarioProblem;
  readonly variant: MatrixVariant;
}

/** The variant's problem, pointing at the matrix value behind it rather than at a --set. */
function blameVariant(
  problem: ScenarioProblem,
  variant: MatrixVariant,
  args: readonly string[],
  dimensions: readonly MatrixDimension[],
  where: Locator,
): VariantProblem {
  let message = problem.message;
  let location: { line?: number; column?: number } = { line: problem.line, column: problem.column };
  args.forEach((arg, d) => {
    const marker = `--set ${arg}`;
    if (!message.includes(marker)) return;
    const dimension = dimensions[d]!;
    const value = variant.assignments[d]!.value;
    message = message.replace(marker, `matrix ${dimension.key}: ${formatValue(value)}`);
    // A --set value has no line; a matrix value does, in the list under its key.
    if (problem.line === undefined) location = where([dimension.key, dimension.values.indexOf(value)], 'value');
  });
  return { problem: { path: problem.path, ...location, message }, variant };
}

// One bad value breaks every variant it takes part in: said once, naming the variants, reads
// better than the same line repeated for each of them.
function mergeVariants(blamed: readonly VariantProblem[]): ScenarioProblem[] {
  const groups = new Map<string, { problem: ScenarioProblem; variants: MatrixVariant[] }>();
  for (const { problem, variant } of blamed) {
    const key = JSON.stringify([problem.path, problem.line, problem.column, problem.message]);
    const group = groups.get(key) ?? { problem, variants: [] };
    group.variants.push(variant);
    groups.set(key, group);
  }
  const merged = [...groups.values()].map(({ problem, variants }) => {
    const [first] = variants;
    const which =
      variants.length === 1 && first
        ? `variant ${first.index} (${first.label})`
        : `variants ${variants.map((v) => v.index).join(', ')} (e.g. ${first?.label ?? ''})`;
    return { ...problem, message: `${which}: ${problem.message}` };
  });
  // File order, as for any scenario's problems.
  return merged.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}
