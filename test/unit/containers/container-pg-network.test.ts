import { describe, expect, it } from 'vitest';
import { CLEAN, type LinkState } from '../../../src/harness/fault/link-effects.ts';
import type { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { containerPgNetwork, type FaultableContainer, type ProxyLinks } from '../../../src/topologies/postgres/containers/container-pg-network.ts';

// The paths of a PostgreSQL topology in containers, with recording fakes for the nodes' rule
// loading and for the link proxy: which faults land on the proxy, which become rules in the
// nodes' own namespaces, and where each party connects.

const CUT: LinkState = { upstream: { ...CLEAN, mode: 'blackhole' }, downstream: { ...CLEAN, mode: 'blackhole' } };
const HEALED: LinkState = { upstream: CLEAN, downstream: CLEAN };

function fakes(names: readonly string[]) {
  const calls: string[] = [];
  const rules = new Map<string, string>();
  const nodes: FaultableContainer[] = names.map((name, i) => ({
    name,
    port: 16000 + i,
    address: `172.30.0.${10 + i}`,
    endpoint: () => ({ host: '127.0.0.1' }),
    namespaceListener: undefined,
    applyRules: async (ruleset: string, shaping: string) => {
      calls.push(`rules ${name}`);
      rules.set(name, `${ruleset}\n${shaping}`);
      return 'applied' as const;
    },
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
  return { calls, nodes, rules, sandbox, startProxy: async () => proxy };
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

  it('cuts node-to-node links with rules in both nodes\' namespaces, never on the proxy, and heals them', async () => {
    const { calls, nodes, rules, sandbox, startProxy } = fakes(['primary', 'replica1', 'replica2']);
    const net = await containerPgNetwork(nodes, sandbox, true, startProxy);
    calls.length = 0;
    // partition between [primary, replicas]: every link in and out of the primary.
    for (const link of ['primary->replica1', 'replica1->primary', 'primary->replica2', 'replica2->primary']) await net.linkControl.setLinkState(link, CUT);
    expect(calls.filter((c) => c.startsWith('proxy'))).toEqual([]);
    expect(rules.get('primary')).toContain('ip saddr 172.30.0.11 drop');
    expect(rules.get('primary')).toContain('ip daddr 172.30.0.12 drop');
    expect(rules.get('replica1')).toContain('ip saddr 172.30.0.10 drop');
    expect(rules.get('replica1')).not.toContain('172.30.0.12');
    for (const link of ['primary->replica1', 'replica1->primary', 'primary->replica2', 'replica2->primary']) await net.linkControl.setLinkState(link, HEALED);
    for (const name of ['primary', 'replica1', 'replica2']) expect(rules.get(name)).not.toContain('drop');
  });

  it('puts a node\'s rules back when its namespace is new (a restart)', async () => {
    const { calls, nodes, sandbox, startProxy } = fakes(['primary', 'replica1']);
    const net = await containerPgNetwork(nodes, sandbox, true, startProxy);
    await net.linkControl.setLinkState('primary->replica1', CUT);
    calls.length = 0;
    await nodes[1]!.namespaceListener!(false); // resumed, rules known: nothing to do
    expect(calls).toEqual([]);
    await nodes[1]!.namespaceListener!(true); // started again: a fresh namespace
    expect(calls).toEqual(['rules replica1']);
  });

  it('limits bandwidth between containers in the sender\'s namespace (htb), and on client links through the proxy', async () => {
    const { calls, nodes, rules, sandbox, startProxy } = fakes(['primary', 'replica1']);
    const net = await containerPgNetwork(nodes, sandbox, true, startProxy);
    const narrow: LinkState = { upstream: CLEAN, downstream: { ...CLEAN, bytesPerSecond: 100_000 } };
    // primary->replica1 downstream: bytes from replica1 to the primary.
    await net.linkControl.setLinkState('primary->replica1', narrow);
    expect(rules.get('replica1')).toContain('htb rate 800000bit');
    expect(rules.get('replica1')).toContain('match ip dst 172.30.0.10/32');
    expect(rules.get('primary') ?? '').not.toContain('htb');
    await net.linkControl.setLinkState('clients->primary', narrow);
    expect(calls.at(-1)).toBe('proxy clients->primary pass/pass');
  });
});
