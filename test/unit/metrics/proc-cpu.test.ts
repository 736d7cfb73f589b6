import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStat, ProcessTreeCpu } from '../../../src/harness/metrics/saturation/proc-cpu.ts';

// /proc parsing on crafted lines, and a real process tree (a shell and a busy child it forked)
// read the way the sampler reads a postmaster and its backends.

describe('parseStat', () => {
  it('reads ppid and the CPU times after the command name, whatever the name holds', () => {
    const line = '4242 (postgres: app (x) idle) S 4000 4242 4242 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 1 0 100 0 0';
    expect(parseStat(line)).toEqual({ ppid: 4000, own: 300, children: 10 });
  });

  it('refuses a line it cannot read', () => {
    expect(parseStat('garbage')).toBeUndefined();
  });
});

let tree: ChildProcess | undefined;
afterEach(() => {
  if (tree?.pid) {
    try {
      process.kill(-tree.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe('ProcessTreeCpu', () => {
  it.skipIf(process.platform !== 'linux')('sums a leader and the children it forked, and loses nothing when a child exits', async () => {
    // A detached shell (its own group, as a postmaster) forks a child that spins for a while, then exits.
    tree = spawn('sh', ['-c', 'timeout 1 sh -c "while :; do :; done"; sleep 30'], { detached: true, stdio: 'ignore' });
    const cpu = new ProcessTreeCpu();
    const leader = tree.pid!;
    const readings: number[] = [];
    for (let i = 0; i < 6; i++) {
      readings.push(cpu.read([leader]).get(leader) ?? -1);
      await sleep(300);
    }
    // The busy child's time shows while it runs, and stays (cutime) after it has exited.
    // (On a loaded machine the spinning child may get little CPU: one tick, 10 ms, is enough.)
    expect(readings.at(-1)!, readings.join(' ')).toBeGreaterThanOrEqual(0.01);
    for (let i = 1; i < readings.length; i++) expect(readings[i]!, readings.join(' ')).toBeGreaterThanOrEqual(readings[i - 1]! - 0.021);
  });

  it.skipIf(process.platform !== 'linux')('gives nothing for a tree whose leader is gone', () => {
    expect(new ProcessTreeCpu().read([2 ** 22 + 17]).size).toBe(0);
  });
});
