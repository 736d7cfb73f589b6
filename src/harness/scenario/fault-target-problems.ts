import { faultAims } from '../fault/fault-catalog.ts';

// Faults aimed at something the topology will never have are mistakes in the file: before, they
// validated and the run exited 0 with the fault marked failed (a node name that does not exist)
// or silently empty (`target: replica` with no replicas). Where the topology's node names follow
// from the scenario alone, they are checked here, before any server starts.

type Problem = [(string | number)[], string];

interface Nodes {
  readonly names: readonly string[];
  readonly replicas: number;
}

interface ScenarioShape {
  readonly topology: { readonly kind: string; readonly replicas?: number; readonly shards?: number; readonly replicasPerShard?: number };
  readonly faults: readonly { readonly kind: string; readonly at: number }[];
  readonly regions?: Readonly<Record<string, unknown>> | undefined;
  readonly workload: { readonly duration: number };
}

// Named as the topologies name them (pg-single-leader.ts, pg-partitioned.ts, shard-replicas.ts);
// a unit test holds the two together.
function staticNodes(topology: ScenarioShape['topology']): Nodes | undefined {
  if (topology.kind === 'pg-single-leader') {
    const replicas = topology.replicas ?? 0;
    return { names: ['primary', ...Array.from({ length: replicas }, (_, i) => `replica${i + 1}`)], replicas };
  }
  if (topology.kind === 'pg-partitioned') {
    const shards = Array.from({ length: topology.shards ?? 0 }, (_, i) => `shard${i + 1}`);
    const copies = shards.flatMap((shard) => Array.from({ length: topology.replicasPerShard ?? 0 }, (_, j) => `${shard}-r${j + 1}`));
    return { names: ['coordinator', ...shards, ...copies], replicas: copies.length };
  }
  return undefined;
}

const WORDS = ['primary', 'replicas', 'replica', 'random', 'all'];

function targetProblem(target: string, nodes: Nodes, regions: readonly string[], party: boolean): string | undefined {
  if ((target === 'replica' || target === 'replicas') && nodes.replicas === 0) {
    return `${target}: this topology has no replicas, so the fault would hit nothing (add replicas or aim at primary or a node name)`;
  }
  if (WORDS.includes(target) || nodes.names.includes(target)) return undefined;
  if (party && (target === 'clients' || regions.includes(target))) return undefined;
  const words = party ? [...WORDS, 'clients', ...regions] : WORDS;
  return `"${target}" is not a node of this topology (nodes: ${nodes.names.join(', ')}; or one of ${words.join(', ')})`;
}

/** Problems with where and when each fault strikes, for topologies whose nodes are known from the file. */
export function faultTargetProblems(scenario: ScenarioShape): Problem[] {
  const problems: Problem[] = [];
  const nodes = staticNodes(scenario.topology);
  const regions = Object.keys(scenario.regions ?? {});
  scenario.faults.forEach((fault, i) => {
    if (fault.at > scenario.workload.duration) {
      problems.push([['faults', i, 'at'], `starts after the measured run ends (workload.duration is ${scenario.workload.duration / 1000}s), so it would never happen`]);
    }
    if (!nodes) return;
    const check = (path: (string | number)[], target: string, party: boolean) => {
      const problem = targetProblem(target, nodes, regions, party);
      if (problem) problems.push([['faults', i, ...path], problem]);
    };
    for (const aim of faultAims(fault)) check([...aim.path], aim.name, aim.party);
  });
  return problems;
}

/** Synchronous modes wait for syncCount standbys: more than there are replicas can never be satisfied. */
export function syncCountProblems(topology: ScenarioShape['topology'] & { readonly replication?: string; readonly syncCount?: number }): Problem[] {
  if (topology.kind !== 'pg-single-leader' || topology.replication === 'async') return [];
  const replicas = topology.replicas ?? 0;
  const syncCount = topology.syncCount ?? 1;
  if (replicas === 0) return [[['topology', 'replication'], `${topology.replication} replication waits for standbys, and there are none: add replicas or use replication: async`]];
  if (syncCount > replicas) return [[['topology', 'syncCount'], `${syncCount} standbys must confirm but there are only ${replicas} replicas: at most ${replicas}`]];
  return [];
}
