import { describe, expect, it } from 'vitest';
import { ContainerFirewall, FirewallError, type NamespaceNode } from '../../../src/harness/fault/container-firewall.ts';
import { CLEAN, type LinkState } from '../../../src/harness/fault/link-effects.ts';
import { nodeRuleset, packetCuts, packetShapes, shapingScript } from '../../../src/harness/fault/namespace-rules.ts';
import { peerLinkNames } from '../../../src/topologies/network/peer-link-state.ts';

// Partitions between containers as nftables rules in each node's namespace: which packets a set
// of link states drops (per direction, whoever opened the connection), the script each node
// gets, and how nodes that cannot take rules now (paused, down) get them when they run again.

const CUT: LinkState = { upstream: { ...CLEAN, mode: 'blackhole' }, downstream: { ...CLEAN, mode: 'blackhole' } };
const UP_ONLY: LinkState = { upstream: { ...CLEAN, mode: 'blackhole' }, downstream: CLEAN };
const RESET: LinkState = { upstream: { ...CLEAN, mode: 'reset' }, downstream: { ...CLEAN, mode: 'reset' } };
const HEALED: LinkState = { upstream: CLEAN, downstream: CLEAN };
const NAMES = ['a', 'b', 'c'];
const LINKS = peerLinkNames(NAMES);
const ADDRESS: Record<string, string> = { a: '10.9.0.10', b: '10.9.0.11', c: '10.9.0.12' };

describe('packet cuts from link states', () => {
  it('a cut link drops both directions between its ends; one upstream direction drops only the connecting side\'s packets', () => {
    expect(packetCuts(LINKS, new Map([['a->b', CUT]]))).toEqual([
      { from: 'a', to: 'b', mode: 'blackhole' },
      { from: 'b', to: 'a', mode: 'blackhole' },
    ]);
    expect(packetCuts(LINKS, new Map([['a->b', UP_ONLY]]))).toEqual([{ from: 'a', to: 'b', mode: 'blackhole' }]);
    // b->a downstream carries a's bytes to b: the same packets as a->b upstream.
    expect(packetCuts(LINKS, new Map([['b->a', { upstream: CLEAN, downstream: UP_ONLY.upstream }]]))).toEqual([{ from: 'a', to: 'b', mode: 'blackhole' }]);
    expect(packetCuts(LINKS, new Map([['a->b', HEALED]]))).toEqual([]);
  });

  it('a reset wins over a blackhole for the same packets', () => {
    const cuts = packetCuts(LINKS, new Map([['a->b', CUT], ['b->a', RESET]]));
    expect(cuts.map((cut) => cut.mode)).toEqual(['reset', 'reset']);
  });
});

describe('a node\'s ruleset', () => {
  it('drops what comes from and goes to the cut peers, by address, and nothing else', () => {
    const cuts = packetCuts(LINKS, new Map([['a->b', UP_ONLY]]));
    const a = nodeRuleset('a', cuts, (name) => ADDRESS[name]!);
    const b = nodeRuleset('b', cuts, (name) => ADDRESS[name]!);
    expect(a).toContain('type filter hook output');
    expect(a).toContain('ip daddr 10.9.0.11 drop');
    expect(a).not.toContain('ip saddr');
    expect(b).toContain('ip saddr 10.9.0.10 drop');
    expect(b).not.toContain('ip daddr');
    expect(nodeRuleset('c', cuts, (name) => ADDRESS[name]!)).not.toContain('table inet faultline {');
  });

  it('answers TCP with a reset for reset mode, and replaces the previous rules in one script', () => {
    const ruleset = nodeRuleset('a', packetCuts(LINKS, new Map([['a->c', RESET]])), (name) => ADDRESS[name]!);
    expect(ruleset.split('\n').slice(0, 2)).toEqual(['add table inet faultline', 'delete table inet faultline']);
    expect(ruleset).toContain('ip saddr 10.9.0.12 meta l4proto tcp reject with tcp reset');
  });
});

describe('slow links between containers', () => {
  it('shape the sender\'s egress per destination: the narrowest rate and the largest delay for one pair', () => {
    const slow = (bytesPerSecond: number | undefined, delayMs = 0): LinkState => ({ upstream: { ...CLEAN, bytesPerSecond, delayMs }, downstream: CLEAN });
    const shapes = packetShapes(LINKS, new Map([['a->b', slow(50_000)], ['b->a', { upstream: CLEAN, downstream: { ...CLEAN, bytesPerSecond: 20_000, delayMs: 30 } }]]));
    expect(shapes).toEqual([{ from: 'a', to: 'b', bytesPerSecond: 20_000, delayMs: 30, jitterMs: 0 }]);
    const script = shapingScript('a', shapes, (name) => ADDRESS[name]!);
    expect(script).toContain('tc qdisc add dev eth0 root handle 1: htb default 1');
    expect(script).toContain('htb rate 160000bit ceil 160000bit burst 2000');
    expect(script).toContain('netem delay 30ms');
    expect(script).toContain('u32 match ip dst 10.9.0.11/32 flowid 1:10');
    // b sends nothing shaped: its script only clears what was there.
    expect(shapingScript('b', shapes, (name) => ADDRESS[name]!)).toBe('tc qdisc del dev eth0 root 2>/dev/null || true');
  });

  it('a delay where the kernel has no netem is refused with the reason', async () => {
    const { answer, firewall } = fakes();
    answer.set('a', { failed: 'sh exited 2: Error: Specified qdisc kind is unknown.' });
    await expect(firewall.setLinkState('a->b', { upstream: { ...CLEAN, delayMs: 40 }, downstream: CLEAN })).rejects.toThrow(/needs the kernel's netem.*bandwidth alone works/);
  });
});

function fakes() {
  const calls: string[] = [];
  const answer = new Map<string, 'applied' | 'kept' | { failed: string }>();
  const nodes: NamespaceNode[] = NAMES.map((name) => ({
    name,
    address: ADDRESS[name]!,
    applyRules: async (ruleset: string) => {
      calls.push(`${name}: ${ruleset.match(/ip [sd]addr \S+ \w+/g)?.join(', ') ?? 'none'}`);
      return answer.get(name) ?? 'applied';
    },
  }));
  return { calls, answer, firewall: new ContainerFirewall(nodes, LINKS) };
}

describe('the container firewall', () => {
  it('isolate a: rules in a and in each peer; the heal empties exactly those', async () => {
    const { calls, firewall } = fakes();
    for (const link of ['a->b', 'b->a', 'a->c', 'c->a']) await firewall.setLinkState(link, CUT);
    expect(calls.filter((c) => c.startsWith('a:')).at(-1)).toBe('a: ip saddr 10.9.0.11 drop, ip saddr 10.9.0.12 drop, ip daddr 10.9.0.11 drop, ip daddr 10.9.0.12 drop');
    expect(calls.filter((c) => c.startsWith('b:')).at(-1)).toBe('b: ip saddr 10.9.0.10 drop, ip daddr 10.9.0.10 drop');
    calls.length = 0;
    for (const link of ['a->b', 'b->a', 'a->c', 'c->a']) await firewall.setLinkState(link, HEALED);
    expect(calls.filter((c) => c.endsWith('none')).map((c) => c[0]).sort()).toEqual(['a', 'b', 'c']);
  });

  it('leaves untouched a node whose rules do not change', async () => {
    const { calls, firewall } = fakes();
    await firewall.setLinkState('a->b', CUT);
    expect(calls.map((c) => c[0])).toEqual(['a', 'b']);
  });

  it('a paused node keeps the rules for later; when it runs again (or its namespace is new) it gets them', async () => {
    const { calls, answer, firewall } = fakes();
    answer.set('a', 'kept');
    await firewall.setLinkState('a->b', CUT);
    answer.set('a', 'applied');
    calls.length = 0;
    await firewall.namespaceChanged('a', false);
    expect(calls).toEqual(['a: ip saddr 10.9.0.11 drop, ip daddr 10.9.0.11 drop']);
    calls.length = 0;
    await firewall.namespaceChanged('a', false);
    expect(calls).toEqual([]);
    await firewall.namespaceChanged('a', true);
    expect(calls).toEqual(['a: ip saddr 10.9.0.11 drop, ip daddr 10.9.0.11 drop']);
    calls.length = 0;
    await firewall.namespaceChanged('c', true); // no rules for c: nothing to do in a fresh namespace
    expect(calls).toEqual([]);
  });

  it('says why when a node refuses the rules (no nft, no NET_ADMIN), and names no link it does not know', async () => {
    const { answer, firewall } = fakes();
    answer.set('b', { failed: 'nft exited 1: Operation not permitted' });
    await expect(firewall.setLinkState('a->b', CUT)).rejects.toThrow(FirewallError);
    await expect(firewall.setLinkState('a->b', CUT)).rejects.toThrow(/b's network namespace \(nft exited 1: Operation not permitted\).*NET_ADMIN/);
    await expect(firewall.setLinkState('clients->a', CUT)).rejects.toThrow(/no link between container nodes named clients->a/);
  });
});
