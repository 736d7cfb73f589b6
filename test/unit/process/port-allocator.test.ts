import { spawnSync, execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allocatePort, releasePort } from '../../../src/harness/process/port-allocator.ts';

const FIRST_PORT = 15_000;
const RANGE = 32_000 - 15_000;
const CHILD = fileURLToPath(new URL('./fixtures/allocate-ports.ts', import.meta.url));
const run = promisify(execFile);

let dir: string;
const servers: Server[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-ports-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

/** Makes Math.random pick `port` on the allocator's next draws. */
function pick(...ports: number[]) {
  const spy = vi.spyOn(Math, 'random');
  for (const port of ports.slice(0, -1)) spy.mockReturnValueOnce((port - FIRST_PORT + 0.5) / RANGE);
  spy.mockReturnValue((ports.at(-1)! - FIRST_PORT + 0.5) / RANGE);
}

/** A port in the allocator's range nothing is bound to right now. */
async function unboundPort(): Promise<number> {
  for (;;) {
    const port = FIRST_PORT + 1 + Math.floor(Math.random() * (RANGE - 2));
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('allocatePort', () => {
  it('never hands the same port to two of many concurrent allocations', async () => {
    const ports = await Promise.all(Array.from({ length: 300 }, () => allocatePort(dir)));
    expect(new Set(ports).size).toBe(300);
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(FIRST_PORT);
    // Every port stays claimed by a lock file naming this process until released.
    const locks = await readdir(dir);
    expect(locks.map(Number).sort()).toEqual([...ports].sort());
    for (const port of ports.slice(0, 20)) expect(await readFile(join(dir, String(port)), 'utf8')).toBe(String(process.pid));
  });

  it('never hands the same port to two processes allocating at the same time', async () => {
    const children = Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', CHILD, dir, '60']));
    const mine = Promise.all(Array.from({ length: 60 }, () => allocatePort(dir)));
    const all = [...(await mine), ...(await Promise.all(children)).flatMap(({ stdout }) => JSON.parse(stdout) as number[])];
    expect(all).toHaveLength(300);
    expect(new Set(all).size).toBe(300);
  });

  it('skips a port that something is already listening on, and releases its lock', async () => {
    const [busy, free] = [await unboundPort(), await unboundPort()];
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen({ port: busy, host: '127.0.0.1' }, resolve));
    pick(busy, free);
    expect(await allocatePort(dir)).toBe(free);
    expect(await readdir(dir)).toEqual([String(free)]);
  });

  it('leaves the lock of a process that died to the reaper, and moves on', async () => {
    const port = await unboundPort();
    const other = await unboundPort();
    const dead = String(deadPid());
    await writeFile(join(dir, String(port)), dead);
    pick(port, other);
    expect(await allocatePort(dir)).toBe(other);
    expect(await readFile(join(dir, String(port)), 'utf8')).toBe(dead);
  });

  it('never takes the lock of a live process', async () => {
    const port = await unboundPort();
    await writeFile(join(dir, String(port)), String(process.ppid));
    pick(port);
    await expect(allocatePort(dir)).rejects.toThrow(/no free port/);
    expect(await readFile(join(dir, String(port)), 'utf8')).toBe(String(process.ppid));
  });

  it('releasePort removes the lock so the port can be handed out again', async () => {
    const port = await allocatePort(dir);
    await releasePort(port, dir);
    expect(await readdir(dir)).toEqual([]);
    pick(port);
    expect(await allocatePort(dir)).toBe(port);
  });
});
