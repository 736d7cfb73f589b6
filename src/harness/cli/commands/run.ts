import { runCommand } from '../../run/run-command.ts';
import type { CliCommand } from './cli-command.ts';

export const run: CliCommand = {
  name: 'run',
  synopsis: 'faultline run <scenario..> [--set path=value ...] [--out dir]',
  needs: 'a scenario file, e.g. faultline run scenarios/quickstart.yaml',
  options: ['set', 'out', 'help'],
  register: (cli, done) =>
    cli.command(
      'run <scenario..>',
      'run a scenario against real servers and write a report (several files: one after another, then a comparison)',
      (y) =>
        y
          .positional('scenario', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML file(s)' })
          .option('set', {
            type: 'string',
            array: true,
            requiresArg: true,
            // One value per --set, so a following positional is never swallowed as an override.
            nargs: 1,
            default: [],
            describe: 'override a field before validation, e.g. --set workload.duration=10s (repeatable)',
          })
          .option('out', { type: 'string', requiresArg: true, describe: 'report directory (default reports/<name>/<run-id>)' })
          .example('$0 run scenarios/quickstart.yaml --set workload.duration=1m', '')
          .example('$0 run scenarios/partitioning/range-price.yaml scenarios/partitioning/hash-price.yaml', ''),
      async (args) => {
        const out = args.out;
        done(await runCommand({ scenarios: args.scenario, set: args.set, ...(out === undefined ? {} : { out }) }));
      },
    ),
};
