import { cleanCommand } from '../../process/clean-command.ts';
import type { CliCommand } from './cli-command.ts';

export const clean: CliCommand = {
  name: 'clean',
  synopsis: 'faultline clean',
  options: ['help'],
  register: (cli, done) =>
    cli.command('clean', 'remove servers, processes and files that crashed runs left behind', {}, async () => {
      done(await cleanCommand());
    }),
};
