import { open, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { isAlive } from './reaper.mjs';
import { portsDir } from './runtime-root.ts';

// Ports are claimed with an exclusive lock file per port, so concurrent runs and test files never
// hand the same port to two servers even before either server has bound it. The range stays
// below Linux's ephemeral range (32768+) so outgoing client connections cannot take our ports.
const FIRST_PORT = 15_000;
const LAST_PORT = 32_000;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function tryLock(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.write(String(process.pid));
    await handle.close();
    return true;
  } catch {
    // Taken: reclaim it only if the process that took it is gone.
    const owner = Number(await readFile(path, 'utf8').catch(() => '0'));
    if (owner > 0 && isAlive(owner)) return false;
    await rm(path, { force: true });
    return false;
  }
}

export async function allocatePort(dir = portsDir()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT));
    const lock = join(dir, String(port));
    if (!(await tryLock(lock))) continue;
    if (await canBind(port)) return port;
    await rm(lock, { force: true });
  }
  throw new Error(`no free port found in ${FIRST_PORT}-${LAST_PORT}`);
}

export async function releasePort(port: number, dir = portsDir()): Promise<void> {
  await rm(join(dir, String(port)), { force: true });
}
