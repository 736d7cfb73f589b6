import { describe, expect, it } from 'vitest';
import { injectFault } from '../../../src/harness/fault/fault-actions.ts';
import type { FaultSurface } from '../../../src/harness/fault/fault-surface.ts';
import { NetworkFaults } from '../../../src/harness/fault/link-effects.ts';
import { Fault } from '../../../src/harness/fault/fault-catalog.ts';
import { createRandom } from '../../../src/harness/workload/random.ts';
import type { DbNode } from '../../../src/topologies/topology.ts';

// `kill ... during: commit` hands the kill to the topology, which lands it at a commit point,
// and heals like any kill. The landing itself is tested against real servers
// (test/integration/partitioning/distributed-checkout.test.ts).

function surface(calls: string[], withCommitPoint: boolean): FaultSurface {
  return {
    nodesNow: () => ['coordinator', 'shard1', 'shard2'].map((name) => ({ name, role: 'primary' as const })),
    node: (name) => ({ kill: async () => void calls.push(`plain kill ${name}`) }) as unknown as DbNode,
    recover: async (name) => void calls.push(`recover ${name}`),
    failover: async () => {},
    links: () => [],
    linkControl: { setLinkState: async () => {} },
    ...(withCommitPoint ? { killAtCommitPoint: async (name: string) => void calls.push(`commit-point kill ${name}`) } : {}),
  };
}

const inject = (fault: unknown, s: FaultSurface) =>
  injectFault(1, Fault.parse(fault), s, new NetworkFaults(s.linkControl), createRandom(1, 'nemesis'));

describe('kill during: commit', () => {
  it('waits for the topology to kill the node at a commit point, then heals it as a kill', async () => {
    const calls: string[] = [];
    const injected = await inject({ kind: 'kill', target: 'shard2', during: 'commit', at: '1s' }, surface(calls, true));
    expect(injected.targets).toEqual(['shard2']);
    await injected.heal();
    expect(calls).toEqual(['commit-point kill shard2', 'recover shard2']);
  });

  it('is refused where no checkout is distributed, and for more than one node', async () => {
    await expect(inject({ kind: 'kill', target: 'shard1', during: 'commit', at: '1s' }, surface([], false))).rejects.toThrow(/needs a topology with distributed checkouts/);
    await expect(inject({ kind: 'kill', target: 'all', during: 'commit', at: '1s' }, surface([], true))).rejects.toThrow(/kills one node; the target names 3/);
  });

  it('leaves a kill without during as it was', async () => {
    const calls: string[] = [];
    await inject({ kind: 'kill', target: 'shard1', at: '1s' }, surface(calls, true));
    expect(calls).toEqual(['plain kill shard1']);
  });
});
