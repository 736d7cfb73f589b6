import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Endpoint } from '../../src/topologies/topology.ts';

// STOPGAP (the lead engineer replaces the body with the real local provider): one throwaway
// PostgreSQL 15 server for an integration test. Tests run as root and initdb/postgres refuse
// root, so everything runs as the postgres user in a private directory under /tmp.

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

async function idOf(flag: '-u' | '-g'): Promise<number> {
  const { stdout } = await run('id', [flag, 'postgres']);
  return Number(stdout.trim());
}

function asPostgres(command: string, args: readonly string[]) {
  return run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args]);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canBind(port)) return port;
  }
  throw new Error('no free port in 20000-32000');
}

async function waitReady(dir: string, port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await run('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-U', 'faultline', '-d', 'postgres']);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL in ${dir} not ready after 30s: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startScratchPostgres(): Promise<{ endpoint: Endpoint; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await mkdtemp('/tmp/faultline-scratch-pg-');
  const data = join(dir, 'data');
  let started = false;
  const stop = async () => {
    if (started) await asPostgres('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await chown(dir, await idOf('-u'), await idOf('-g'));
    await asPostgres('initdb', ['-D', data, '-U', 'faultline', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    const port = await freePort();
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`;
    started = true;
    await asPostgres('pg_ctl', ['start', '-D', data, '-l', join(dir, 'postgres.log'), '-o', options, '-w', '-t', '30']);
    await waitReady(dir, port);
    const endpoint: Endpoint = { host: '127.0.0.1', port, user: 'faultline', password: '', database: 'faultline' };
    const admin = new pg.Client({ ...endpoint, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE faultline');
    } finally {
      await admin.end();
    }
    return { endpoint, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
