import { describe, expect, it } from 'vitest';
import { CLEAN, type LinkState } from '../../../src/harness/fault/link-effects.ts';
import type { DirectionFaults } from '../../../src/harness/network/link-faults.ts';
import type { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { withRegionDistances, type DistanceProxy } from '../../../src/topologies/postgres/containers/container-region-links.ts';
import type { Geography } from '../../../src/topologies/network/proxied-network.ts';
import type { TopologyNetwork } from '../../../src/topologies/network/topology-network.ts';

// Distances between regions for container nodes: which paths go through the proxy (and where it
// listens), which stay direct, and what a fault on each does. A recording proxy and network stand
// in for the link proxy and the containers' own network.

const GATEWAY = '192.168.77.1';
const nodes = [
  { name: 'us-east', port: 20001, region: 'us-east', endpoint: () => ({ host: '127.0.0.1' }) },
  { name: 'us-east-r1', port: 20002, region: 'us-east', endpoint: () => ({ host: '127.0.0.1' }) },
  { name: 'eu-west', port: 20003, region: 'eu-west', endpoint: () => ({ host: '127.0.0.1' }) },
];
const geography: Geography = {
  clientRegions: ['us-east', 'eu-west'],
  delay: (a, b) => (a !== undefined && b !== undefined && a !== b ? { delayMs: 40, jitterMs: 2 } : { delayMs: 0, jitterMs: 0 }),
};

function fakes() {
  const added: { name: string; target: { host: string; port: number }; listenHost: string | undefined }[] = [];
  const faults = new Map<string, { upstream: DirectionFaults; downstream: DirectionFaults }>();
  const innerStates: [string, LinkState][] = [];
  let disposed = 0;
  let port = 40000;
  const proxy: DistanceProxy = {
    addLink: async (name, target, listenPort, listenHost) => {
      added.push({ name, target, listenHost });
      return { port: listenPort };
    },
    setFaults: async (name, f) => void faults.set(name, f),
    [Symbol.asyncDispose]: async () => void disposed++,
  };
  const inner: TopologyNetwork = {
    portOf: (from) => (from === 'clients' ? 30000 : 5432),
    hostOf: (_from, to) => to,
    links: () => [{ name: 'clients->us-east', from: 'clients', to: 'us-east' }],
    linkControl: { setLinkState: async (link, state) => void innerStates.push([link, state]) },
    [Symbol.asyncDispose]: async () => void disposed++,
  };
  const sandbox = { allocatePort: async () => port++ } as unknown as RunSandbox;
  return { added, faults, innerStates, proxy, inner, sandbox, disposed: () => disposed };
}

const cut: LinkState = { upstream: { ...CLEAN, mode: 'blackhole' }, downstream: { ...CLEAN, mode: 'blackhole' } };

describe('distances between regions in containers', () => {
  it('sends each client region through a loopback link and distant nodes through a link on the run network gateway', async () => {
    const f = fakes();
    const net = await withRegionDistances(f.inner, nodes, geography, f.sandbox, GATEWAY, async () => f.proxy);
    expect(net.portOf('clients@eu-west', 'us-east')).toBe(f.added.findIndex((l) => l.name === 'clients@eu-west->us-east') + 40000);
    expect(net.hostOf!('clients@eu-west', 'us-east')).toBe('127.0.0.1');
    // Across the ocean: through the proxy on the gateway, towards the node's published port, 40 ms each way.
    const across = f.added.find((l) => l.name === 'eu-west->us-east')!;
    expect(across).toMatchObject({ listenHost: GATEWAY, target: { host: '127.0.0.1', port: 20001 } });
    expect(net.hostOf!('eu-west', 'us-east')).toBe(GATEWAY);
    expect(f.faults.get('eu-west->us-east')!.upstream).toMatchObject({ mode: 'pass', latency: { delayMs: 40, jitterMs: 2 } });
    // Same region: the direct path on the run network.
    expect(f.added.some((l) => l.name === 'us-east-r1->us-east')).toBe(false);
    expect([net.hostOf!('us-east-r1', 'us-east'), net.portOf('us-east-r1', 'us-east')]).toEqual(['us-east', 5432]);
    expect(net.links().map((l) => l.name)).toContain('clients@us-east->eu-west');
  });

  it('cuts a distant node link on the proxy and on the direct path, and adds a latency fault to the distance', async () => {
    const f = fakes();
    const net = await withRegionDistances(f.inner, nodes, geography, f.sandbox, GATEWAY, async () => f.proxy);
    await net.linkControl.setLinkState('eu-west->us-east', cut);
    expect(f.faults.get('eu-west->us-east')!.downstream).toMatchObject({ mode: 'blackhole', latency: { delayMs: 40 } });
    expect(f.innerStates).toEqual([['eu-west->us-east', cut]]);
    const slow: LinkState = { upstream: { ...CLEAN, delayMs: 100 }, downstream: CLEAN };
    await net.linkControl.setLinkState('eu-west->us-east', slow);
    expect(f.faults.get('eu-west->us-east')!.upstream).toMatchObject({ mode: 'pass', latency: { delayMs: 140 } });
    // The direct path only ever gets the cut part: rules in a namespace have no delay.
    expect(f.innerStates[1]).toEqual(['eu-west->us-east', { upstream: CLEAN, downstream: CLEAN }]);
    // A nearby link is the containers' own network's to fault.
    await net.linkControl.setLinkState('us-east-r1->us-east', cut);
    expect(f.innerStates[2]).toEqual(['us-east-r1->us-east', cut]);
    await net[Symbol.asyncDispose]();
    expect(f.disposed()).toBe(2);
  });

  it('is the containers network itself when the scenario has no regions', async () => {
    const f = fakes();
    expect(await withRegionDistances(f.inner, nodes, undefined, f.sandbox, GATEWAY, async () => f.proxy)).toBe(f.inner);
  });
});
