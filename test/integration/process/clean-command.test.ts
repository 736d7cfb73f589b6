import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapRunDir } from '../../../src/harness/process/reaper.mjs';
import { scratchBase } from '../../../src/harness/process/runtime-root.ts';
import { processesMentioning } from '../../../src/harness/process/stale-owner.ts';
import { FAULTLINE, killHard, probePort, ROOT, runProcesses, running, see, startNode, waitUntil, type Cli, type SeenProcess } from '../../support/processes.ts';

// A crash that even the watchdog did not survive (kill -9 of the harness and its watchdog), with
// real servers still running, cleaned up by `faultline clean`; a live run beside it is untouched.
// Everything lives in a private runtime root and template-cache root, so the command cannot
// touch (or be confused by) other runs on this machine.

const HOLDER = join(ROOT, 'test/support/hold-servers.ts');
const holders: Cli[] = [];
let base: string | undefined;

interface Held {
  readonly cli: Cli;
  readonly runDir: string;
  readonly nodes: { name: string; port: number }[];
  readonly processes: SeenProcess[];
}

async function holdServers(env: NodeJS.ProcessEnv): Promise<Held> {
  const cli = startNode([HOLDER, '0'], env);
  holders.push(cli);
  const info = JSON.parse(await cli.waitForLine(/^\{/, 60_000)) as { runDir: string; nodes: { name: string; port: number }[] };
  return { cli, ...info, processes: runProcesses(info.runDir) };
}

/** The servers' main processes (the rest of a snapshot includes short-lived backends). */
// A child the postmaster has just forked shows the postmaster's command line for an instant,
// until it sets its own title: a postmaster is one whose parent is not a postmaster too.
const postmasters = (held: Held) => {
  const named = held.processes.filter((p) => p.command.includes('postgres -D'));
  return named.filter((p) => !named.some((parent) => parent.pid === p.ppid));
};

function clean(env: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [FAULTLINE, 'clean'], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(async () => {
  for (const cli of holders) await killHard(cli);
  if (base) {
    // Should the test fail half-way, its servers must still go.
    for (const id of await readdir(join(base, 'runtime', 'runs')).catch(() => [] as string[])) reapRunDir(join(base, 'runtime', 'runs', id));
    for (const pid of processesMentioning(`${base}/`)) spawnSync('kill', ['-9', String(pid)]);
    await rm(base, { recursive: true, force: true });
  }
});

describe('faultline clean', () => {
  it('reaps a crashed run whose watchdog died too, and leaves a live run alone', async () => {
    base = await mkdtemp(join(scratchBase(), 'faultline-clean-test-'));
    await chmod(base, 0o711); // The servers' user must traverse it to reach its data directories.
    // The holders share the real template cache (no initdb needed); `clean` looks at a private
    // cache that holds only the leftovers fabricated here.
    const runtime = { FAULTLINE_RUNTIME_DIR: join(base, 'runtime') };
    const cleanEnv = { ...runtime, FAULTLINE_CACHE_DIR: join(base, 'cache') };
    // A template build interrupted by a crash: its directory, named after the dead builder.
    const deadPid = spawnSync('true').pid!;
    await mkdir(join(base, 'cache', `pg15.0-postgres-v1.tmp-${deadPid}`, 'data'), { recursive: true });
    await mkdir(join(base, 'cache', 'pg15.0-postgres-v1.lock'));
    const [crashed, live] = await Promise.all([holdServers(runtime), holdServers(runtime)]);

    // Crash: the watchdog first (so that nothing reaps), then the harness, both with SIGKILL.
    const watchdog = processesMentioning('watchdog.mjs')
      .map(see)
      .find((p) => p?.command.includes(crashed.runDir));
    expect(watchdog, 'the crashed run has a watchdog').toBeDefined();
    process.kill(watchdog!.pid, 'SIGKILL');
    crashed.cli.child.kill('SIGKILL');
    await crashed.cli.exited;
    await waitUntil('the watchdog is gone', () => !running(watchdog!), 5_000);
    // Orphans now: servers up, the run directory still there, nobody left to reap them (a
    // watchdog would have reaped within 200 ms).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(postmasters(crashed).filter(running)).toHaveLength(1);
    expect(await probePort(crashed.nodes[0]!.port)).toBe('open');
    expect(existsSync(crashed.runDir)).toBe(true);
    const crashedId = crashed.runDir.split('/').at(-1)!;
    const liveId = live.runDir.split('/').at(-1)!;

    const first = clean(cleanEnv);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toContain(`removed run ${crashedId} (harness pid ${crashed.cli.pid} is gone; killed 1 server process)`);
    // Reaping the run released its port lock too (the run lists its ports for the reaper).
    expect(existsSync(join(base, 'runtime', 'ports', String(crashed.nodes[0]!.port)))).toBe(false);
    expect(lines).toContain(`removed template build leftover pg15.0-postgres-v1.tmp-${deadPid} (pid ${deadPid} is gone)`);
    expect(lines).toContain('removed stale template lock pg15.0-postgres-v1.lock (no live build holds it)');
    expect(lines).toContain('cleaned: 1 run, 2 template leftovers');
    expect(lines).toContain(`left alone: 1 run of a live harness (${liveId})`);

    await waitUntil('every process of the crashed run is gone', () => crashed.processes.every((p) => !running(p)), 5_000);
    expect(existsSync(crashed.runDir)).toBe(false);
    expect(await probePort(crashed.nodes[0]!.port)).toBe('refused');
    expect(await readdir(join(base, 'cache'))).toEqual([]);
    // The live run: untouched, still serving, its port still locked.
    expect(postmasters(live).filter(running)).toHaveLength(1);
    expect(existsSync(live.runDir)).toBe(true);
    expect(await probePort(live.nodes[0]!.port)).toBe('open');
    expect(await readdir(join(base, 'runtime', 'ports'))).toEqual([String(live.nodes[0]!.port)]);

    const second = clean(cleanEnv);
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual(['nothing to clean', `left alone: 1 run of a live harness (${liveId})`]);

    // The live harness still tears down normally.
    live.cli.child.kill('SIGTERM');
    expect((await live.cli.exited).code).toBe(0);
    await waitUntil('the live run is torn down', () => live.processes.every((p) => !running(p)) && !existsSync(live.runDir), 5_000);
  });
});
