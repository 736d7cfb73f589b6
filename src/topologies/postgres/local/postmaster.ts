import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PgBinaries } from './pg-binaries.ts';
import { asServer, type ServerUser } from './server-user.ts';
import { EngineError } from '../../../harness/output/errors.ts';

// Starting, watching and stopping one postmaster process. Servers are spawned detached (their own
// process group) so a Ctrl-C to the terminal reaches the harness, which then tears down in order.

export function spawnPostmaster(
  bin: PgBinaries,
  user: ServerUser,
  dataDir: string,
  logPath: string,
  extraArgs: readonly string[] = [],
): ChildProcess {
  const log = openSync(logPath, 'a');
  try {
    const child = spawn(bin.path('postgres'), ['-D', dataDir, ...extraArgs], {
      ...asServer(user),
      detached: true,
      stdio: ['ignore', log, log],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PGTZ: 'UTC' },
    });
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

async function tail(path: string, lines = 15): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Resolves when postmaster.pid says the server accepts connections ("ready", or "standby" for a
 * hot standby). Reading the file is cheaper and quicker than polling with connection attempts.
 */
export async function waitReady(child: ChildProcess, dataDir: string, logPath: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  const onExit = () => (exited = true);
  child.once('exit', onExit);
  try {
    while (Date.now() < deadline) {
      if (exited || child.exitCode !== null) {
        throw new EngineError(`postgres exited during start-up (log ${logPath}):\n${await tail(logPath)}`);
      }
      const pidFile = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
      const status = pidFile[7]?.trim();
      // After a kill -9 the old server's file, still saying "ready", stays until this one replaces it.
      if (Number(pidFile[0]) === child.pid && (status === 'ready' || status === 'standby')) return;
      await sleep(5);
    }
    throw new EngineError(`postgres did not become ready within ${timeoutMs} ms (log ${logPath}):\n${await tail(logPath)}`);
  } finally {
    child.off('exit', onExit);
  }
}

export { waitExit } from '../../local-process/server-process.ts';
