// Loaded when the command runs: `validate` and `list` must not pay for every topology's modules.
import { resolve } from 'node:path';
import type { CliCommand } from './cli-command.ts';
import { listIncompleteRuns } from './list.ts';

export const clean: CliCommand = {
  name: 'clean',
  synopsis: 'faultline clean',
  options: ['help'],
  register: (cli, done) =>
    cli.command('clean', 'remove servers, processes and files that crashed runs left behind', {}, async () => {
      const { cleanCommand } = await import('../clean-command.ts');
      const code = await cleanCommand();
      // Report folders are the user's results: clean never deletes them, it says which are incomplete.
      await listIncompleteRuns(resolve('reports'));
      done(code);
    }),
};
