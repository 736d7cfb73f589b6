// Loaded when the command runs: `validate` and `list` must not pay for every topology's modules.
import type { CliCommand } from './cli-command.ts';

export const compare: CliCommand = {
  name: 'compare',
  synopsis: 'faultline compare <run-dir..> [--out dir]',
  needs: 'at least one run folder, e.g. faultline compare reports/quickstart/<run-id> reports/quickstart/latest',
  options: ['out', 'help'],
  register: (cli, done) =>
    cli.command(
      'compare <dirs..>',
      'put runs already on disk side by side (run folders or matrix run folders)',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'run folders (holding results.json) or matrix run folders' })
          .option('out', { type: 'string', requiresArg: true, describe: 'write comparison.md, comparison.html and comparison.json here (default: comparison.md to stdout)' })
          .example('$0 compare reports/matrix-replication/latest', '')
          .example('$0 compare reports/quickstart/2026-11-21T14-05-09Z-3f2a reports/quickstart/latest --out /tmp/cmp', ''),
      async (args) => {
        const out = args.out;
        const { compareRuns } = await import('../../compare/compare-runs.ts');
        done(await compareRuns({ dirs: args.dirs, ...(out === undefined ? {} : { out }) }));
      },
    ),
};
