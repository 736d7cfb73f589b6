import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanCommand } from '../../../src/harness/cli/clean-command.ts';
import { isAlive, processTree } from '../../../src/harness/process/reaper.mjs';
import { isGone } from '../../../src/harness/process/stale-owner.ts';
import { waitUntil } from '../../support/processes.ts';

// What `faultline clean` decides to remove, on fabricated runtime and template-cache folders.
// (test/integration/process/clean-command.test.ts does it with real crashed servers.)

let root: string;
let cache: string;
let printed: string[];
const children: ChildProcess[] = [];

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), 'faultline-clean-'));
  root = join(base, 'runtime');
  cache = join(base, 'cache');
  for (const dir of [join(root, 'runs'), join(root, 'ports'), cache]) await mkdir(dir, { recursive: true });
  printed = [];
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(join(root, '..'), { recursive: true, force: true });
});

const clean = () => cleanCommand({ runtimeRoot: root, cacheRoot: cache, print: (line) => printed.push(line) });
const deadPid = () => spawnSync('true').pid!;
const hourAgo = async (path: string) => {
  const then = new Date(Date.now() - 3_600_000);
  await utimes(path, then, then);
};

async function run(id: string, owner?: number): Promise<string> {
  const dir = join(root, 'runs', id);
  await mkdir(join(dir, 'nodes'), { recursive: true });
  if (owner !== undefined) await writeFile(join(dir, 'owner'), `${owner}\n`);
  return dir;
}

describe('faultline clean', () => {
  it('says so when there is nothing to clean', async () => {
    expect(await clean()).toBe(0);
    expect(printed).toEqual(['nothing to clean']);
  });

  it('removes runs whose harness is gone and leaves runs of a live harness alone', async () => {
    const dead = await run('dead-run', deadPid());
    const live = await run('live-run', process.pid);
    expect(await clean()).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(printed).toEqual([
      expect.stringMatching(/^removed run dead-run \(harness pid \d+ is gone; killed 0 server processes\)$/),
      'cleaned: 1 run',
      'left alone: 1 run of a live harness (live-run)',
    ]);
  });

  it('treats a zombie harness (exited, not yet reaped) as gone', async () => {
    // `sleep 0` exits at once, and its parent, replaced by `sleep 60`, never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 60'], { stdio: 'ignore' });
    children.push(parent);
    let zombie = 0;
    await waitUntil('the child became a zombie', () => {
      zombie = processTree(parent.pid!)[1] ?? 0;
      return zombie > 0 && isGone(zombie);
    }, 5_000);
    expect(isAlive(zombie)).toBe(true); // kill(pid, 0) still succeeds on a zombie
    const dir = await run('zombie-run', zombie);
    await clean();
    expect(existsSync(dir)).toBe(false);
  });

  it('removes a run without an owner only once it is old and empty (it may be being created)', async () => {
    const young = await run('young-run');
    const old = join(root, 'runs', 'old-run');
    await mkdir(old);
    await hourAgo(old);
    // Not something RunSandbox makes (it writes the owner first): never removed.
    const foreign = await run('foreign');
    await hourAgo(foreign);
    await clean();
    expect(existsSync(young)).toBe(true);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(foreign)).toBe(true);
    expect(printed).toEqual([
      'removed run old-run (no owner recorded; killed 0 server processes)',
      'cleaned: 1 run',
      `left alone: foreign in ${join(root, 'runs')} (no owner file: not a faultline run)`,
    ]);
  });

  it('removes port locks of dead processes only', async () => {
    const ports = join(root, 'ports');
    const dead = deadPid();
    await writeFile(join(ports, '20001'), String(dead));
    await writeFile(join(ports, '20002'), String(process.pid));
    await writeFile(join(ports, '20003'), ''); // Being written right now.
    await writeFile(join(ports, '20004'), '');
    await hourAgo(join(ports, '20004'));
    await clean();
    expect((await readdir(ports)).sort()).toEqual(['20002', '20003']);
    expect(printed).toEqual([
      `removed port lock 20001 (pid ${dead} is gone)`,
      'removed port lock 20004 (no owner recorded)',
      'cleaned: 2 port locks',
    ]);
  });

  it('removes interrupted template builds and their locks, and kills what still works on them', async () => {
    const dead = deadPid();
    const leftover = join(cache, `pg15.0-postgres-v1.tmp-${dead}`);
    await mkdir(join(leftover, 'data'), { recursive: true });
    await mkdir(join(cache, 'pg15.0-postgres-v1.lock'));
    // Stands in for the build's throwaway server, which outlives a SIGKILLed harness.
    const server = spawn('sh', ['-c', 'sleep 60', 'postgres', '-D', join(leftover, 'data')], { stdio: 'ignore' });
    children.push(server);
    // A build in progress, by a live process, with its lock: untouched.
    await mkdir(join(cache, `pg16.0-postgres-v1.tmp-${process.pid}`));
    await mkdir(join(cache, 'pg16.0-postgres-v1.lock'));
    await hourAgo(join(cache, 'pg16.0-postgres-v1.lock'));
    // A lock taken a moment ago whose build directory is not there yet: untouched.
    await mkdir(join(cache, 'pg17.0-postgres-v1.lock'));
    // The finished template itself: untouched.
    await mkdir(join(cache, 'pg15.0-postgres-v1', 'data'), { recursive: true });

    await clean();
    await waitUntil('the build server is killed', () => isGone(server.pid!), 5_000);
    expect((await readdir(cache)).sort()).toEqual([
      'pg15.0-postgres-v1',
      'pg16.0-postgres-v1.lock',
      `pg16.0-postgres-v1.tmp-${process.pid}`,
      'pg17.0-postgres-v1.lock',
    ]);
    // The stand-in's shell may show up beside it for a moment: the count is at least one, and
    // what matters (the server is gone) is awaited above.
    expect(printed).toHaveLength(3);
    expect(printed[0]).toMatch(new RegExp(`^removed template build leftover pg15\\.0-postgres-v1\\.tmp-${dead} \\(pid ${dead} is gone; killed [1-9]\\d* process(es)?\\)$`));
    expect(printed.slice(1)).toEqual(['removed stale template lock pg15.0-postgres-v1.lock (no live build holds it)', 'cleaned: 2 template leftovers']);
  });
});
