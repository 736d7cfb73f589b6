import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { PgBinaries } from './pg-binaries.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from './pg-template.ts';
import { asServer, type ServerUser } from './server-user.ts';

const run = promisify(execFile);

/** What a resync needs of the two local nodes (LocalPgNode has it; named here so this file does not import it back). */
export interface LocalDataDirs {
  readonly dataDir: string;
  readonly socketDir: string;
  readonly port: number;
}

/**
 * Makes a former primary's data directory a valid standby of the new primary: pg_rewind when it
 * can (it runs crash recovery itself after a SIGKILL), a fresh pg_basebackup when it cannot.
 * Both copy the source's configuration files, so the caller rewrites the node's own config and
 * creates standby.signal BEFORE starting it, or it would come up as a second writable primary.
 * The caller checkpoints the source first (see PgServerNode.resyncFrom).
 */
export async function resyncFrom(
  node: LocalDataDirs,
  source: LocalDataDirs,
  bin: PgBinaries,
  user: ServerUser,
): Promise<'rewind' | 'basebackup'> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  const sourceConn = `host=${source.socketDir} port=${source.port} user=${TEMPLATE_USER} dbname=${TEMPLATE_DATABASE}`;
  try {
    await run(bin.path('pg_rewind'), ['--target-pgdata', node.dataDir, '--source-server', sourceConn], {
      ...asServer(user),
      env,
    });
    return 'rewind';
  } catch {
    await rm(node.dataDir, { recursive: true, force: true });
    await run(
      bin.path('pg_basebackup'),
      ['-D', node.dataDir, '-h', source.socketDir, '-p', String(source.port), '-U', TEMPLATE_USER, '-X', 'stream', '-c', 'fast'],
      { ...asServer(user), env },
    );
    return 'basebackup';
  }
}
