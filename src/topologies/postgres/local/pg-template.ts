import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { templateCacheRoot } from '../../../harness/process/runtime-root.ts';
import type { PgBinaries } from './pg-binaries.ts';
import { CONFIG_FILE, PG_HBA } from './pg-config.ts';
import { spawnPostmaster, waitExit, waitReady } from './postmaster.ts';
import { asServer, giveToServer, type ServerUser } from './server-user.ts';

const run = promisify(execFile);

// initdb costs most of a node's start-up, so it runs once per PostgreSQL version into a cached,
// cleanly shut-down template that nodes copy. Copies share one system identifier, so a copy is
// also a valid base for a streaming standby: no pg_basebackup needed at bring-up.
const RECIPE = 'v1';
export const TEMPLATE_DATABASE = 'faultline';
export const TEMPLATE_USER = 'faultline';

export { templateCacheRoot };

async function buildTemplate(bin: PgBinaries, user: ServerUser, dir: string): Promise<void> {
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  await mkdir(dir, { recursive: true, mode: 0o711 });
  await mkdir(sock, { mode: 0o700 });
  await giveToServer(user, dir, sock);
  await run(
    bin.path('initdb'),
    ['-D', data, '-U', TEMPLATE_USER, '-E', 'UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256'],
    { ...asServer(user), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } },
  );
  await writeFile(join(data, 'pg_hba.conf'), PG_HBA);
  await appendFile(join(data, 'postgresql.conf'), `\ninclude_if_exists = '${CONFIG_FILE}'\n`);
  await giveToServer(user, join(data, 'pg_hba.conf'));
  const log = join(dir, 'template.log');
  await writeFile(log, '');
  const server = spawnPostmaster(bin, user, data, log, ['-c', 'listen_addresses=', '-c', `unix_socket_directories=${sock}`]);
  try {
    await waitReady(server, data, log);
    const client = new pg.Client({ host: sock, port: 5432, user: TEMPLATE_USER, database: 'postgres' });
    await client.connect();
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await client.end();
  } finally {
    server.kill('SIGINT');
    await waitExit(server, 30_000);
  }
  await rm(sock, { recursive: true, force: true });
  await rm(join(data, 'postmaster.opts'), { force: true });
  await writeFile(join(dir, 'READY'), `${bin.binDir} ${bin.version}\n`);
}

/** The data directory of a ready template for these binaries, building it on first use. */
export async function pgTemplate(bin: PgBinaries, user: ServerUser): Promise<string> {
  const dir = join(templateCacheRoot(), `pg${bin.version}-${user.name}-${RECIPE}`);
  const lock = `${dir}.lock`;
  await mkdir(templateCacheRoot(), { recursive: true, mode: 0o711 });
  for (;;) {
    if (existsSync(join(dir, 'READY'))) return join(dir, 'data');
    try {
      await mkdir(lock);
    } catch {
      // Another process is building it; take over only if it seems to have died.
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      await sleep(100);
      continue;
    }
    const tmp = `${dir}.tmp-${process.pid}`;
    try {
      await rm(tmp, { recursive: true, force: true });
      await buildTemplate(bin, user, tmp);
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } finally {
      await rm(tmp, { recursive: true, force: true });
      await rm(lock, { recursive: true, force: true });
    }
  }
}

/** Copies the template into a new data directory (ownership and modes preserved). */
export async function copyTemplate(template: string, dataDir: string): Promise<void> {
  await run('cp', ['-a', '--reflink=auto', template, dataDir]);
}
