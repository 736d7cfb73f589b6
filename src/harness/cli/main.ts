import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { clean } from './commands/clean.ts';
import type { CliCommand } from './commands/cli-command.ts';
import { compare } from './commands/compare.ts';
import { doctor } from './commands/doctor.ts';
import { images } from './commands/images.ts';
import { list } from './commands/list.ts';
import { report } from './commands/report.ts';
import { run } from './commands/run.ts';
import { size } from './commands/size.ts';
import { validate } from './commands/validate.ts';
import { describeFailure, ExitCode, isDebug, UsageError } from '../output/exit-codes.ts';
import { usageMessage } from './usage-messages.ts';
import { terminalSafe } from './terminal-text.ts';

// The faultline command line. yargs parses; it never exits the process or prints its own errors,
// so every outcome, including bad input, comes back here as an exit code.

const COMMANDS: readonly CliCommand[] = [run, validate, list, clean, compare, report, doctor, size, images];

export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const done = (result: number): void => {
    code = result;
  };
  try {
    let cli = yargs(argv)
      .scriptName('faultline')
      .usage('$0 <command> [options]\n\nRuns seeded e-commerce load against real PostgreSQL topologies and reports latency and consistency.')
      .strict()
      .exitProcess(false)
      .showHelpOnFail(false)
      .demandCommand(1, 'choose a command')
      .help()
      .alias('h', 'help')
      .version(packageVersion())
      .epilogue('Scenarios live in scenarios/; start with: faultline run scenarios/quickstart.yaml')
      .wrap(Math.min(100, process.stdout.columns || 100));
    for (const command of COMMANDS) cli = command.register(cli, done);
    // Called for yargs' own complaints and for errors thrown by handlers; only the former are
    // rewritten, so a ScenarioError from a command keeps its own message.
    cli = cli.fail((message, error) => {
      if (error && error.name !== 'YError') throw error;
      throw new UsageError(usageMessage(message ?? error?.message ?? 'invalid arguments', argv, COMMANDS));
    });
    await cli.parseAsync();
    return code;
  } catch (error) {
    const failure = describeFailure(error, isDebug());
    process.stderr.write(`${terminalSafe(failure.lines.join('\n'))}\n`);
    return failure.code;
  }
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
}
