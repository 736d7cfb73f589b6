import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { patroniMissing } from '../../../src/topologies/postgres/patroni/patroni-binaries.ts';
import { cleanUpCliRun, runDirOwnedBy, startCli, waitUntil, type Cli } from '../../support/processes.ts';

// kill -9 of the harness during a Patroni run: the watchdog must reap every postgres, Patroni and
// etcd process of the run (Patroni's postmaster is not its child: the reaper finds it by
// postmaster.pid, Patroni and etcd by the pids file), within 15 s.

const MISSING = patroniMissing();
let cli: Cli | undefined;
let reports: string | undefined;
let runDir: string | undefined;

afterEach(async () => {
  await cleanUpCliRun(cli, runDir, reports);
  cli = reports = runDir = undefined;
});

/** Every process whose command line names the run directory (postmasters, Patroni, etcd), with its backends. */
function processesOf(dir: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (command.includes(dir)) found.push({ pid: Number(entry), command });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Local addresses of every listening TCP socket these processes hold (IPv4 as hex "0100007F:port", IPv6 too). */
function listenersOf(pids: readonly number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
        const match = /^socket:\[(\d+)\]$/.exec(link);
        if (match) inodes.add(match[1]!);
      }
    } catch {
      // Gone meanwhile.
    }
  }
  const listening: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && inodes.has(fields[9]!)) listening.push(fields[1]!);
    }
  }
  return listening;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

describe.skipIf(MISSING !== undefined)(`a harness killed during a Patroni run${MISSING ? ` (${MISSING})` : ''}`, () => {
  it('every listener is on 127.0.0.1; SIGKILL: no postgres, patroni or etcd process of the run is left 15 s later', async () => {
    reports = await mkdtemp(join(tmpdir(), 'faultline-patroni-killed-'));
    cli = startCli(['run', 'scenarios/known/patroni-sync-kill.yaml', '--set', 'workload.duration=60s', '--out', reports]);
    await cli.waitForLine(/^\[(warmup|run)/, 120_000);
    runDir = runDirOwnedBy(cli.pid);
    expect(runDir, 'the run directory of this harness').toBeDefined();
    const processes = processesOf(runDir!);
    const kinds = (word: string) => processes.filter((p) => p.command.includes(word)).length;
    expect(kinds('patroni'), JSON.stringify(processes)).toBe(3);
    expect(kinds('etcd --name'), JSON.stringify(processes)).toBe(3);
    expect(kinds('postgres -D'), JSON.stringify(processes)).toBe(3);
    // Every listener (PostgreSQL, Patroni's REST API, etcd's client and peer ports, which also
    // serve its metrics) is on 127.0.0.1: three of each kind at least.
    const listeners = listenersOf(processes.map((p) => p.pid));
    expect(listeners.length).toBeGreaterThanOrEqual(12);
    expect(listeners.filter((address) => !address.startsWith('0100007F:')), listeners.join(' ')).toEqual([]);
    cli.child.kill('SIGKILL');
    await waitUntil('no process of the run is alive', () => processes.every((p) => !alive(p.pid)), 15_000, 100);
    expect(processes.filter((p) => alive(p.pid))).toEqual([]);
    expect(processesOf(runDir!)).toEqual([]);
  }, 180_000);

  it('Ctrl-C while etcd and Patroni are still starting: exit 130 saying so, and no process of the run left', async () => {
    reports = await mkdtemp(join(tmpdir(), 'faultline-patroni-interrupted-'));
    cli = startCli(['run', 'scenarios/known/patroni-sync-kill.yaml', '--out', reports]);
    await waitUntil('the run has its directory', () => (runDir = runDirOwnedBy(cli!.pid)) !== undefined, 120_000, 50);
    await waitUntil('etcd runs', () => processesOf(runDir!).some((p) => p.command.includes('etcd --name')), 120_000, 50);
    const started = processesOf(runDir!);
    cli.child.kill('SIGINT');
    // A loose bound: the point is that the bring-up (10 s and more) is not waited for.
    const exit = await Promise.race([cli.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000))]);
    expect(exit?.code, cli.stderr()).toBe(130);
    expect(cli.stderr()).toMatch(/interrupted by the user while Patroni and etcd were starting/);
    expect(cli.stdout()).not.toMatch(/topology ready/);
    await waitUntil('no process of the run is alive', () => started.every((p) => !alive(p.pid)) && processesOf(runDir!).length === 0, 15_000, 100);
  }, 180_000);
});
