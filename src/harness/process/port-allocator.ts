import { randomUUID } from 'node:crypto';
import { link, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { portsDir } from './runtime-root.ts';
import { EnvironmentError } from '../output/errors.ts';

// Ports are claimed with an exclusive lock file per port, so concurrent runs and test files never
// hand the same port to two servers even before either server has bound it. The range stays
// below Linux's ephemeral range (32768+) so outgoing client connections cannot take our ports.
// A lock is never taken over here: the run's watchdog (or `faultline clean`) releases the locks
// of a run that died, so there is no window in which two claimants both think a lock is stale.
const FIRST_PORT = 15_000;
const LAST_PORT = 32_000;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Creates the lock with its content in one step: a hard link to a file already written. */
async function tryLock(dir: string, port: number): Promise<boolean> {
  const draft = join(dir, `.${port}.${randomUUID()}`);
  await writeFile(draft, String(process.pid));
  try {
    await link(draft, join(dir, String(port)));
    return true;
  } catch {
    return false;
  } finally {
    await rm(draft, { force: true });
  }
}

export async function allocatePort(dir = portsDir()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT));
    if (!(await tryLock(dir, port))) continue;
    if (await canBind(port)) return port;
    await releasePort(port, dir);
  }
  throw new EnvironmentError(`no free port found in ${FIRST_PORT}-${LAST_PORT}; run \`faultline clean\` to release locks of crashed runs`);
}

export async function releasePort(port: number, dir = portsDir()): Promise<void> {
  await rm(join(dir, String(port)), { force: true });
}
