// The scenario parser (zod, yaml) is loaded when the command runs, not when the CLI starts:
// --help and argument errors in every other command must not pay for it.
import { ScenarioError } from '../../scenario/scenario-error.ts';
import { ExitCode } from '../../output/exit-codes.ts';
import { terminalSafe } from '../terminal-text.ts';
import type { CliCommand } from './cli-command.ts';

export const validate: CliCommand = {
  name: 'validate',
  synopsis: 'faultline validate <file..>',
  needs: 'at least one scenario file, e.g. faultline validate scenarios/*.yaml',
  options: ['help'],
  register: (cli, done) =>
    cli.command(
      'validate <files..>',
      'check scenario files without running anything',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML files' }),
      async (args) => done(await validateFiles(args.files)),
    ),
};

/** Prints `ok <file>` or the file's problems for each file; 2 when any is invalid. */
export async function validateFiles(files: readonly string[]): Promise<number> {
  const [{ planMatrix }, { loadScenario }] = await Promise.all([import('../../matrix/plan-matrix.ts'), import('../../scenario/load-scenario.ts')]);
  let invalid = 0;
  for (const file of files) {
    try {
      // A matrix is checked as `run` would: its paths, and every variant as a scenario of its own.
      const plan = planMatrix(await loadScenario(file));
      process.stdout.write(`ok ${file}${plan ? ` (${plan.variants.length} variants)` : ''}\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      invalid++;
      process.stderr.write(`${terminalSafe(error.format())}\n`);
    }
  }
  if (invalid > 0 && files.length > 1) process.stderr.write(`${invalid} of ${files.length} scenario files are invalid\n`);
  return invalid > 0 ? ExitCode.usage : ExitCode.ok;
}
