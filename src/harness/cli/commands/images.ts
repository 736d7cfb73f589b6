import type { CliCommand } from './cli-command.ts';

// `faultline images [list|build]`: registration only. What the command does (execa, the image
// build, the MongoDB provider's defaults) is in images-command.ts and loaded when it runs, so
// --help and every other command start without it.

export const images: CliCommand = {
  name: 'images',
  synopsis: 'faultline images [list|build] [--base debian|official] [--force] [--fresh]',
  options: ['base', 'force', 'fresh', 'help'],
  register: (cli, done) =>
    cli.command(
      'images [action]',
      'list or build the container images the containers provider uses (built here, no registry)',
      (y) =>
        y
          .positional('action', { choices: ['list', 'build'] as const, default: 'list' as const, describe: 'list (default) or build' })
          .option('base', {
            choices: ['debian', 'official'] as const,
            default: 'debian' as const,
            describe: 'build from a debootstrap rootfs (debian, no registry) or FROM the official postgres image (needs a registry)',
          })
          .option('force', { type: 'boolean', default: false, describe: 'rebuild even when the tag for the current inputs exists' })
          .option('fresh', { type: 'boolean', default: false, describe: 'also redo the cached debootstrap rootfs' }),
      async (argv) => {
        const { imagesCommand } = await import('./images-command.ts');
        done(await imagesCommand(argv.action, { base: argv.base, force: argv.force, fresh: argv.fresh }));
      },
    ),
};
