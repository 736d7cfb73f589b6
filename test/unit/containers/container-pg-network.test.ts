import { describe, expect, it } from 'vitest';
import { CLEAN, type LinkState } from '../../../src/harness/fault/link-effects.ts';
import type { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { containerPgNetwork, type PeerCuttable, type ProxyLinks } from '../../../src/topologies/postgres/containers/container-pg-network.ts';

// The paths of a PostgreSQL topology in containers, with recording fakes for the nodes' network
// cuts and for the link proxy: which faults land on the proxy, which take a node off the run's
// network, and where each party connects.

const CUT: LinkState = { upstream: { ...CLEAN, mode: 'blackhole' }, downstream: { ...CLEAN, mode: 'blackhole' } };
const HEALED: LinkState = { upstream: CLEAN, downstream: CLEAN };

function fakes(names: readonly string[]) {
  const calls: string[] = [];
  const nodes: PeerCuttable[] = names.map((name, i) => ({
    name,
    port: 16000 + i,
    endpoint: () => ({ host: '127.0.0.1' }),
    setPeersCut: async (cut: boolean) => void calls.push(`${name} ${cut ? 'off' : 'on'} the run network`),
  }));
  let next = 17000;
  const sandbox = { allocatePort: async () => next++ } as unknown as RunSandbox;
  const proxy: ProxyLinks = {
    addLink: async (name, target, port) => {
      calls.push(`link ${name} ${port} -> ${target.host}:${target.port}`);
      return { port };
    },
    setFaults: async (name, faults) => void calls.push(`proxy ${name} ${faults.upstream.mode}/${faults.downstream.mode}`),
    [Symbol.asyncDispose]: async () => void calls.push('proxy closed'),
  };
  return { calls, nodes, sandbox, startProxy: async () => proxy };
}

describe('the containers network of a PostgreSQL topology', () => {
  it('without network faults: clients use the published ports, peers each other by name, and no link can be faulted', async () => {
    const { calls, nodes, sandbox, startProxy } = fakes(['primary', 'replica1']);
    const net = await containerPgNetwork(nodes, sandbox, false, startProxy);
    expect(net.portOf('clients', 'replica1')).toBe(16001);
    expect(net.hostOf?.('clients', 'replica1')).toBe('127.0.0.1');
    expect(net.portOf('replica1', 'primary')).toBe(5432);
    expect(net.hostOf?.('replica1', 'primary')).toBe('primary');
    expect(net.links()).toEqual([]);
    await expect(net.linkControl.setLinkState('clients->primary', CUT)).rejects.toThrow(/without network faults/);
    expect(() => net.portOf('clients@eu-west', 'primary')).toThrow(/regions need the local provider/);
    expect(calls).toEqual([]);
  });

  it('with network faults: a proxy link per node for clients, exact, and every node-to-node link named', async () => {
    const { calls, nodes, sandbox, startProxy } = fakes(['primary', 'replica1']);
    const net = await containerPgNetwork(nodes, sandbox, true, startProxy);
    expect(calls).toEqual(['link clients->primary 17000 -> 127.0.0.1:16000', 'link clients->replica1 17001 -> 127.0.0.1:16001']);
    expect(net.portOf('clients', 'primary')).toBe(17000);
    expect(net.links().map((link) => link.name)).toEqual(['clients->primary', 'clients->replica1', 'primary->replica1', 'replica1->primary']);
    await net.linkControl.setLinkState('clients->primary', { upstream: { ...CLEAN, mode: 'reset' }, downstream: CLEAN });
    expect(calls.at(-1)).toBe('proxy clients->primary reset/pass');
    await net[Symbol.asyncDispose]();
    expect(calls.at(-1)).toBe('proxy closed');
  });

  it('takes a node off the run network only once all its peer links are cut, and puts it back when one heals', async () => {
    const { calls, nodes, sandbox, startProxy } = fakes(['primary', 'replica1', 'replica2']);
    const net = await containerPgNetwork(nodes, sandbox, true, startProxy);
    calls.length = 0;
    // partition between [primary, replicas]: every link in and out of the primary.
    for (const link of ['primary->replica1', 'replica1->primary', 'primary->replica2']) await net.linkControl.setLinkState(link, CUT);
    expect(calls.filter((c) => c.includes('off'))).toEqual([]);
    await net.linkControl.setLinkState('replica2->primary', CUT);
    expect(calls.filter((c) => c.includes('off'))).toEqual(['primary off the run network']);
    await net.linkControl.setLinkState('replica2->primary', HEALED);
    expect(calls.filter((c) => c.includes(' on '))).toContain('primary on the run network');
  });
});
