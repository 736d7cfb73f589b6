import { relative, resolve } from 'node:path';
import { describeIncomplete, findIncompleteRuns } from '../../report/partial-runs.ts';
import type { LoadedScenario } from '../../scenario/load-scenario.ts';
import { ScenarioError, type ScenarioProblem } from '../../scenario/scenario-error.ts';
import { ExitCode } from '../../output/exit-codes.ts';
import { terminalLine } from '../terminal-text.ts';
import { defaultScenarioDir, findScenarioFiles } from '../find-scenario-files.ts';
import type { CliCommand } from './cli-command.ts';

export const list: CliCommand = {
  name: 'list',
  synopsis: 'faultline list [dir]',
  options: ['help'],
  register: (cli, done) =>
    cli.command(
      'list [dir]',
      'list scenarios with their descriptions',
      (y) => y.positional('dir', { type: 'string', describe: 'folder to search (default: scenarios/)' }),
      async (args) => done(await listScenarios(args.dir ?? defaultScenarioDir())),
    ),
};

interface Row {
  readonly name: string;
  readonly file: string;
  readonly about: string;
}

/** One aligned line per scenario file: name, file, description (or why it is invalid). */
export async function listScenarios(dir: string): Promise<number> {
  const files = await findScenarioFiles(dir);
  if (files.length === 0) {
    process.stderr.write(`no scenario files (*.yaml, *.yml) under ${dir}\n`);
    return ExitCode.ok;
  }
  // Loaded here, not when the CLI starts: the parser (zod, yaml) is for `list` and `validate` only.
  const { loadScenario } = await import('../../scenario/load-scenario.ts');
  const rows = await Promise.all(files.map((file) => describeFile(file, loadScenario)));
  const nameWidth = Math.max(...rows.map((row) => row.name.length));
  const fileWidth = Math.max(...rows.map((row) => row.file.length));
  for (const row of rows) {
    process.stdout.write(`${row.name.padEnd(nameWidth)}  ${row.file.padEnd(fileWidth)}  ${row.about}\n`.replace(/ +\n$/, '\n'));
  }
  await listIncompleteRuns(resolve('reports'));
  return ExitCode.ok;
}

/** Runs under reports/ that were killed before their report (or are still running), one line each. */
export async function listIncompleteRuns(reportsRoot: string, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<void> {
  const runs = await findIncompleteRuns(reportsRoot);
  if (runs.length === 0) return;
  write(`\nincomplete runs under ${relative(process.cwd(), reportsRoot) || reportsRoot}/ (their history.jsonl and timeseries.jsonl are kept):\n`);
  for (const run of runs) write(`  ${terminalLine(describeIncomplete(run, relative(process.cwd(), run.dir) || run.dir))}\n`);
}

async function describeFile(absolute: string, loadScenario: (file: string) => Promise<LoadedScenario>): Promise<Row> {
  const file = relative(process.cwd(), absolute) || absolute;
  try {
    const { scenario } = await loadScenario(absolute);
    return { name: scenario.name, file: terminalLine(file), about: terminalLine(scenario.description.split('\n')[0] ?? '') };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const name = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '');
    return { name: terminalLine(name), file: terminalLine(file), about: terminalLine(`invalid: ${shortProblem(error.problems)} (see faultline validate ${file})`) };
  }
}

function shortProblem(problems: readonly ScenarioProblem[]): string {
  const first = problems[0];
  if (!first) return 'unknown problem';
  const text = first.path ? `${first.path}: ${first.message}` : first.message;
  const clipped = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return problems.length > 1 ? `${clipped} (+${problems.length - 1} more)` : clipped;
}
