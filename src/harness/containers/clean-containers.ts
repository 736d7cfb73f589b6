import { hostname } from 'node:os';
import { containerEngine, engineEndpoint, OWNER_LABEL, RUN_LABEL } from './container-engine.ts';
import { listLabelled, removeAll, type EngineEndpoint, type Labelled, type LabelledResources, type Removed } from '../process/container-reaper.mjs';
import { isGone } from '../process/stale-owner.ts';

// `faultline clean` for containers: what a run left on the container engine when even its
// watchdog died (kill -9 of the whole process group, a reboot of the machine running the
// harness). Everything faultline creates there carries the run's id and its owner,
// `<hostname>:<pid>`; only what an owner on this machine that is gone made is removed.

export interface ContainerCleanResult {
  readonly runs: number;
  readonly removed: Removed;
  readonly problems: string[];
  /** Why the engine was not looked at (none answers), if it was not. */
  readonly skipped?: string;
}

type Verdict = { stale: true; why: string } | { stale: false };

/** Whether what an owner label names may go: its harness ran on this machine and is gone. */
export function ownerVerdict(owner: string | undefined, thisHost = hostname()): Verdict {
  const match = owner === undefined ? null : /^(.*):(\d+)$/.exec(owner);
  if (!match) return { stale: false };
  const [, host, pid] = match;
  if (host !== thisHost) return { stale: false };
  return isGone(Number(pid)) ? { stale: true, why: `harness pid ${pid} is gone` } : { stale: false };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Removes the containers, networks and volumes of runs whose harness is gone; prints one line per run. */
export async function cleanContainers(print: (line: string) => void, endpoint?: EngineEndpoint): Promise<ContainerCleanResult> {
  const removed: Removed = { containers: 0, networks: 0, volumes: 0 };
  const problems: string[] = [];
  let engine = endpoint;
  if (!engine) {
    try {
      engine = engineEndpoint(await containerEngine());
    } catch (error) {
      return { runs: 0, removed, problems, skipped: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
    }
  }
  let found: LabelledResources;
  try {
    found = await listLabelled(engine, RUN_LABEL);
  } catch (error) {
    return { runs: 0, removed, problems: [`could not list the engine's labelled resources: ${String((error as Error).message ?? error)}`] };
  }
  const byRun = new Map<string, { containers: Labelled[]; networks: Labelled[]; volumes: Labelled[]; why: string }>();
  for (const kind of ['containers', 'networks', 'volumes'] as const) {
    for (const item of found[kind]) {
      const verdict = ownerVerdict(item.labels[OWNER_LABEL]);
      if (!verdict.stale) continue;
      const run = item.labels[RUN_LABEL]!;
      const entry = byRun.get(run) ?? { containers: [], networks: [], volumes: [], why: verdict.why };
      entry[kind].push(item);
      byRun.set(run, entry);
    }
  }
  for (const [run, entry] of byRun) {
    const result = await removeAll(engine, entry);
    for (const kind of ['containers', 'networks', 'volumes'] as const) removed[kind] += result.removed[kind];
    problems.push(...result.problems);
    const parts = [plural(result.removed.containers, 'container'), plural(result.removed.networks, 'network'), plural(result.removed.volumes, 'volume')];
    print(`removed run ${run} from the container engine (${entry.why}): ${parts.join(', ')}`);
  }
  return { runs: byRun.size, removed, problems };
}
