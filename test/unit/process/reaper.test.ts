import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findServers, isAlive, processTree, reapRunDir, signalTree } from '../../../src/harness/process/reaper.mjs';
import { isGone } from '../../../src/harness/process/stale-owner.ts';
import { waitUntil } from '../../support/processes.ts';

// Real process trees stand in for servers: a shell with sleeping children.

const started: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) if (child.pid) signalTree(child.pid, 'SIGKILL');
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** sh with two sleeping children; extra arguments land in its command line (as $0 $1...). */
async function shellTree(...args: string[]): Promise<number> {
  const child = spawn('sh', ['-c', 'sleep 60 & sleep 60 & wait', ...args], { stdio: 'ignore' });
  started.push(child);
  const pid = child.pid!;
  await waitUntil('both sleeps started', () => processTree(pid).length === 3, 5_000);
  return pid;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-reaper-'));
  dirs.push(dir);
  return dir;
}

/** A fake run directory with one node whose postmaster.pid names `pid`. */
async function fakeRun(pid: number, node = 'primary'): Promise<{ dir: string; dataDir: string }> {
  const dir = await tempDir();
  const dataDir = join(dir, 'nodes', node, 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n`);
  return { dir, dataDir };
}

describe('processTree and signalTree', () => {
  it('list a process and all its descendants, parents first', async () => {
    const pid = await shellTree();
    const tree = processTree(pid);
    expect(tree[0]).toBe(pid);
    expect(tree).toHaveLength(3);
    expect(processTree(tree[1]!)).toEqual([tree[1]]);
  });

  it('kill the whole tree, not just its root', async () => {
    const pid = await shellTree();
    const tree = processTree(pid);
    signalTree(pid, 'SIGKILL');
    await waitUntil('the whole tree is gone', () => tree.every(isGone), 5_000);
  });

  it('freeze and thaw the whole tree', async () => {
    const pid = await shellTree();
    const tree = processTree(pid);
    const state = (p: number) => spawnSync('ps', ['-o', 'stat=', '-p', String(p)], { encoding: 'utf8' }).stdout.trim()[0];
    signalTree(pid, 'SIGSTOP');
    await waitUntil('every process is stopped', () => tree.every((p) => state(p) === 'T'), 5_000);
    signalTree(pid, 'SIGCONT');
    await waitUntil('every process runs again', () => tree.every((p) => state(p) === 'S'), 5_000);
  });
});

describe('isAlive', () => {
  it('tells a running process from one that exited', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(spawnSync('true').pid!)).toBe(false);
  });
});

describe('reapRunDir', () => {
  it('kills the server tree a postmaster.pid names, then removes the run directory', async () => {
    const dir = await tempDir();
    const dataDir = join(dir, 'nodes', 'primary', 'data');
    // The "postmaster" names its data directory on its command line, as postgres -D does.
    const pid = await shellTree('postgres', '-D', dataDir);
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n`);
    const tree = processTree(pid);
    expect(findServers(dir)).toEqual([pid]);
    expect(reapRunDir(dir)).toContain(pid);
    await waitUntil('the server tree is gone', () => tree.every(isGone), 5_000);
    expect(existsSync(dir)).toBe(false);
  });

  it('does not kill a process that reused a dead server pid', async () => {
    // This process's command line does not mention the data directory: not the server.
    const pid = await shellTree();
    const { dir } = await fakeRun(pid);
    expect(findServers(dir)).toEqual([]);
    expect(reapRunDir(dir)).toEqual([]);
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('kills processes listed in the pids file when their command line carries the marker', async () => {
    const dir = await tempDir();
    const helper = await shellTree('helper', `${dir}/proxy-marker`);
    const stranger = await shellTree();
    await writeFile(join(dir, 'pids'), `${helper} ${dir}/proxy-marker\n${stranger} ${dir}/proxy-marker\n`);
    const tree = processTree(helper);
    expect(reapRunDir(dir)).toEqual([helper]);
    await waitUntil('the listed helper tree is gone', () => tree.every(isGone), 5_000);
    expect(isAlive(stranger)).toBe(true);
  });
});
