// Reaps what a run started: every server process tree found under a run directory, every pid
// listed in its pids file, then the directory itself. Plain JavaScript on purpose: the watchdog
// runs it in a child process that must start in milliseconds and without a TypeScript loader,
// and it must work when the harness that started it has been SIGKILLed.
import { readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** pid → parent pid for every process visible in /proc. */
function parentMap() {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process exited while we looked.
    }
  }
  return parents;
}

/** The pid and all its descendants, parents first. */
export function processTree(pid) {
  const parents = parentMap();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export function signalTree(pid, signal) {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, signal);
    } catch {
      // Already gone.
    }
  }
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Postmaster pids of every data directory below dir whose server is still running. */
export function findServers(dir) {
  const found = [];
  const nodesDir = join(dir, 'nodes');
  if (!existsSync(nodesDir)) return found;
  for (const node of readdirSync(nodesDir)) {
    const dataDir = join(nodesDir, node, 'data');
    let pid;
    try {
      pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      continue;
    }
    // Guard against pid reuse: the postmaster's command line names its data directory.
    if (pid > 0 && isAlive(pid) && cmdline(pid).includes(dataDir)) found.push(pid);
  }
  return found;
}

/** Extra processes (proxies, helpers) a run registered, one "pid marker" per line. */
function listedPids(dir) {
  try {
    return readFileSync(join(dir, 'pids'), 'utf8')
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter(([pid, marker]) => Number(pid) > 0 && (!marker || cmdline(Number(pid)).includes(marker)))
      .map(([pid]) => Number(pid));
  } catch {
    return [];
  }
}

/** Releases the port locks the run took (listed in its ports file) that still name its owner. */
function releasePorts(dir) {
  let owner = '';
  let ports = [];
  try {
    owner = readFileSync(join(dir, 'owner'), 'utf8').trim();
    ports = readFileSync(join(dir, 'ports'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return;
  }
  for (const port of ports) {
    const lock = join(dir, '..', '..', 'ports', port);
    try {
      if (readFileSync(lock, 'utf8').trim() === owner) rmSync(lock, { force: true });
    } catch {
      // Already released.
    }
  }
}

/** Kill everything the run directory accounts for, then remove it. Returns what was killed. */
export function reapRunDir(dir) {
  const killed = [];
  // Listed processes first: a server manager among them (Patroni) could otherwise start its
  // server again between the two; then servers once more, for one it started just before it died.
  for (const pid of [...listedPids(dir), ...findServers(dir), ...findServers(dir)]) {
    if (killed.includes(pid)) continue;
    // SIGSTOP-ed processes still die of SIGKILL, so a paused server is reaped too.
    signalTree(pid, 'SIGKILL');
    killed.push(pid);
  }
  releasePorts(dir);
  rmSync(dir, { recursive: true, force: true });
  return killed;
}
