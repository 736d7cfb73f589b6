import { execFile } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgBinaries {
  readonly binDir: string;
  /** e.g. "15.18" */
  readonly version: string;
  readonly major: number;
  path(tool: 'postgres' | 'initdb' | 'pg_ctl' | 'pg_basebackup' | 'pg_rewind' | 'pgbench' | 'psql'): string;
}

export class MissingPostgresError extends Error {}

const INSTALL_HINT =
  'install PostgreSQL server binaries (Debian: apt-get install -y postgresql-15), or set FAULTLINE_PG_BINDIR to the directory holding postgres and initdb';

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

// The machine's binaries only: FAULTLINE_PG_BINDIR (the user's environment, never a scenario file).
async function candidates(configured?: string): Promise<string[]> {
  if (configured) return [configured];
  if (process.env.FAULTLINE_PG_BINDIR) return [process.env.FAULTLINE_PG_BINDIR];
  const found: string[] = [];
  // pg_config on Debian is the client's wrapper and may name a bindir without a server in it,
  // so it is one candidate among others, not the answer.
  const pgConfig = await run('pg_config', ['--bindir']).catch(() => undefined);
  if (pgConfig) found.push(pgConfig.stdout.trim());
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  versions.sort((a, b) => Number(b) - Number(a));
  found.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) found.push(dir);
  return found;
}

/** Finds a directory holding postgres and initdb: the configured one, pg_config's, Debian's, PATH. */
export async function findPgBinaries(configured?: string): Promise<PgBinaries> {
  for (const binDir of await candidates(configured)) {
    if (!(await executable(join(binDir, 'postgres'))) || !(await executable(join(binDir, 'initdb')))) continue;
    const { stdout } = await run(join(binDir, 'postgres'), ['--version']);
    const version = /(\d+(?:\.\d+)?)/.exec(stdout)?.[1] ?? 'unknown';
    return {
      binDir,
      version,
      major: Number.parseInt(version, 10),
      path: (tool) => join(binDir, tool),
    };
  }
  const named = configured ?? process.env.FAULTLINE_PG_BINDIR;
  throw new MissingPostgresError(
    named
      ? `FAULTLINE_PG_BINDIR: no postgres and initdb in ${named}; ${INSTALL_HINT}`
      : `no PostgreSQL server binaries found; ${INSTALL_HINT}`,
  );
}
