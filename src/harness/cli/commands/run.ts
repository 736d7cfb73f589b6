// Loaded when the command runs: `validate` and `list` must not pay for every topology's modules.
import type { CliCommand } from './cli-command.ts';

export const run: CliCommand = {
  name: 'run',
  synopsis: 'faultline run <scenario..> [--set path=value ...] [--out dir] [--provider local|containers]',
  needs: 'a scenario file, e.g. faultline run scenarios/quickstart.yaml',
  options: ['set', 'out', 'provider', 'help'],
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
          .option('provider', {
            choices: ['local', 'containers'] as const,
            requiresArg: true,
            describe: 'where servers run: local processes (default) or containers (Docker); replaces the scenario\'s provider',
          })
          .example('$0 run scenarios/quickstart.yaml --set workload.duration=1m', '')
          .example('$0 run scenarios/partitioning/range-price.yaml scenarios/partitioning/hash-price.yaml', ''),
      async (args) => {
        const out = args.out;
        const provider = args.provider;
        const { runCommand } = await import('../run-command.ts');
        done(await runCommand({ scenarios: args.scenario, set: args.set, ...(out === undefined ? {} : { out }), ...(provider === undefined ? {} : { provider }) }));
      },
    ),
};
