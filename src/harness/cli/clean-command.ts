import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanContainers } from '../containers/clean-containers.ts';
import type { EngineEndpoint } from '../process/container-reaper.mjs';
import { reapRunDir, signalTree } from '../process/reaper.mjs';
import { isGone, processesMentioning } from '../process/stale-owner.ts';
import { portsDir, runsDir, runtimeRoot, templateCacheRoot } from '../process/runtime-root.ts';
import { errorMessage } from '../output/errors.ts';

// `faultline clean`: the manual counterpart of the watchdog, for when the watchdog itself died
// too (kill -9 of the whole process group, OOM killer, a debugger). It only ever removes what a
// dead process owned: a run whose harness is alive is never touched, whatever its age.

export interface CleanOptions {
  /** Default: runtimeRoot() (FAULTLINE_RUNTIME_DIR or /dev/shm/faultline-<uid>). */
  readonly runtimeRoot?: string;
  /** Default: templateCacheRoot() (FAULTLINE_CACHE_DIR or /dev/shm/faultline-cache-<uid>). */
  readonly cacheRoot?: string;
  readonly print?: (line: string) => void;
  /** The container engine to clean (default: the one testcontainers finds); false: leave containers alone. */
  readonly engine?: EngineEndpoint | false;
}

/** Files without an owner pid yet (being written right now) are only stale once this old. */
const UNOWNED_GRACE_MS = 60_000;
/** A template lock is held without a build directory only for milliseconds. */
const LOCK_GRACE_MS = 30_000;

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** The pid in a file (first token), or undefined when it is missing, empty or not a pid. */
function pidIn(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/** Removes what crashed runs left behind; resolves to the process exit code. */
export async function cleanCommand(options: CleanOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const root = options.runtimeRoot ?? runtimeRoot();
  const cacheRoot = options.cacheRoot ?? templateCacheRoot();
  const removed = { runs: 0, ports: 0, templates: 0 };
  const liveRuns: string[] = [];
  const foreign: string[] = [];
  const problems: string[] = [];
  const attempt = (what: string, work: () => void): boolean => {
    try {
      work();
      return true;
    } catch (error) {
      problems.push(`could not remove ${what}: ${errorMessage(error)}`);
      return false;
    }
  };

  // 1. Runs first: their servers hold the ports whose locks come next.
  const runs = runsDir(root);
  for (const id of entries(runs)) {
    const dir = join(runs, id);
    const owner = pidIn(join(dir, 'owner'));
    let why: string;
    if (owner !== undefined) {
      if (!isGone(owner)) {
        liveRuns.push(id);
        continue;
      }
      why = `harness pid ${owner} is gone`;
    } else {
      // RunSandbox writes the owner right after creating the directory, before anything else:
      // an old, empty one is a harness that died in between. Anything else is not ours.
      if (ageMs(dir) < UNOWNED_GRACE_MS) continue;
      if (entries(dir).length > 0) {
        foreign.push(id);
        continue;
      }
      why = 'no owner recorded';
    }
    let killed: number[] = [];
    if (attempt(`run ${id}`, () => (killed = reapRunDir(dir)))) {
      removed.runs++;
      const servers = new Set(killed).size;
      print(`removed run ${id} (${why}; killed ${plural(servers, 'server process', 'server processes')})`);
    }
  }

  // 2. Port locks of processes that are gone.
  const ports = portsDir(root);
  for (const name of entries(ports)) {
    if (!/^\d+$/.test(name)) continue;
    const path = join(ports, name);
    const owner = pidIn(path);
    if (owner !== undefined ? !isGone(owner) : ageMs(path) < UNOWNED_GRACE_MS) continue;
    if (attempt(`port lock ${name}`, () => rmSync(path, { force: true }))) {
      removed.ports++;
      print(`removed port lock ${name} (${owner !== undefined ? `pid ${owner} is gone` : 'no owner recorded'})`);
    }
  }

  // 3. Template builds interrupted half-way: <template>.tmp-<pid> and the <template>.lock beside it.
  const liveBuilds = new Set<string>();
  const deadBuilds = new Set<string>();
  for (const name of entries(cacheRoot)) {
    const match = /^(.+)\.tmp-(\d+)$/.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    if (!isGone(pid)) {
      liveBuilds.add(match[1]!);
      continue;
    }
    deadBuilds.add(match[1]!);
    const path = join(cacheRoot, name);
    // The build's own throwaway server (and initdb) outlive a SIGKILLed harness.
    const killed = processesMentioning(`${path}/`);
    for (const p of killed) signalTree(p, 'SIGKILL');
    if (attempt(`template build ${name}`, () => rmSync(path, { recursive: true, force: true }))) {
      removed.templates++;
      print(`removed template build leftover ${name} (pid ${pid} is gone${killed.length ? `; killed ${plural(killed.length, 'process', 'processes')}` : ''})`);
    }
  }
  for (const name of entries(cacheRoot)) {
    const match = /^(.+)\.lock$/.exec(name);
    if (!match || liveBuilds.has(match[1]!)) continue;
    const path = join(cacheRoot, name);
    // Held by a build that died, or by nobody for longer than taking it and starting takes.
    if (!deadBuilds.has(match[1]!) && ageMs(path) < LOCK_GRACE_MS) continue;
    if (attempt(`template lock ${name}`, () => rmSync(path, { recursive: true, force: true }))) {
      removed.templates++;
      print(`removed stale template lock ${name} (no live build holds it)`);
    }
  }

  // 4. Containers, networks and volumes (by label) of runs whose harness is gone.
  const containers = options.engine === false ? undefined : await cleanContainers(print, options.engine);
  problems.push(...(containers?.problems ?? []));
  const parts = [
    removed.runs && plural(removed.runs, 'run'),
    containers?.runs && plural(containers.runs, 'container run'),
    removed.ports && plural(removed.ports, 'port lock'),
    removed.templates && plural(removed.templates, 'template leftover'),
  ].filter(Boolean);
  print(parts.length ? `cleaned: ${parts.join(', ')}` : 'nothing to clean');
  if (liveRuns.length) print(`left alone: ${plural(liveRuns.length, 'run')} of a live harness (${liveRuns.join(', ')})`);
  if (foreign.length) print(`left alone: ${foreign.join(', ')} in ${runs} (no owner file: not a faultline run)`);
  for (const problem of problems) process.stderr.write(`faultline clean: ${problem}\n`);
  return 0;
}
