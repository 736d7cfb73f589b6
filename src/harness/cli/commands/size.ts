// Loaded when the command runs: `validate` and `list` must not pay for every topology's modules.
import type { CliCommand } from './cli-command.ts';

export const size: CliCommand = {
  name: 'size',
  synopsis: 'faultline size <scenario> --concurrency 1,2,4,8 [--target orders/s] [--operating-point 0.75] [--duration 5s] [--set path=value ...] [--out dir]',
  needs: 'a scenario file, e.g. faultline size scenarios/quickstart.yaml --concurrency 1,2,4,8 --target 500',
  options: ['concurrency', 'target', 'operating-point', 'duration', 'set', 'out', 'help'],
  register: (cli, done) =>
    cli.command(
      'size <scenario>',
      'measure throughput at several concurrency levels, fit the Universal Scalability Law, and size units for a target in orders/s',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file (with a matrix: one fit per combination)' })
          // Checked by planSizing rather than yargs, so a missing or bad value gets a message that says what to type.
          .option('concurrency', { type: 'string', requiresArg: true, describe: 'closed-loop client counts to measure, comma-separated (at least three; required)' })
          .option('target', { type: 'string', requiresArg: true, describe: 'orders per second the whole system must sustain: report the units it needs' })
          .option('operating-point', { type: 'string', requiresArg: true, describe: 'fraction of the modelled peak each unit is run at (default 0.75)' })
          .option('duration', { type: 'string', requiresArg: true, describe: 'measured time per level, e.g. 5s (default: the scenario\'s workload.duration)' })
          .option('set', { type: 'string', array: true, requiresArg: true, nargs: 1, default: [], describe: 'override a field before validation (repeatable)' })
          .option('out', { type: 'string', requiresArg: true, describe: 'reports root (default reports): writes <out>/<name>-sizing/<run-id>/' })
          .example('$0 size scenarios/quickstart.yaml --concurrency 1,2,4,8,16 --target 500 --duration 10s', ''),
      async (args) => {
        const { sizeCommand } = await import('../../sizing/size-command.ts');
        done(
          await sizeCommand({
            scenario: args.scenario,
            set: args.set,
            ...(args['operating-point'] === undefined ? {} : { operatingPoint: args['operating-point'] }),
            ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
            ...(args.target === undefined ? {} : { target: args.target }),
            ...(args.duration === undefined ? {} : { duration: args.duration }),
            ...(args.out === undefined ? {} : { out: args.out }),
          }),
        );
      },
    ),
};
