import type { LinkState } from './link-effects.ts';

// Partitions between containers, as packet filter rules inside the nodes' own network namespaces
// (nftables). A logical link "A->B" (A connects to B) carries A's bytes to B upstream and B's
// answers downstream; at the packet level a cut direction drops every packet from one node to
// the other, whoever opened the connection, as a partition in a real network does. Client
// traffic reaches a node through Docker's published port, from the network's gateway: no rule
// here names the gateway, so a partition between nodes never touches a client connection.

export type CutMode = 'blackhole' | 'reset';

/** Every packet from `from` to `to` is dropped (blackhole) or answered by a TCP reset (reset). */
export interface PacketCut {
  readonly from: string;
  readonly to: string;
  readonly mode: CutMode;
}

export interface NodeLink {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** The packet-level cuts the link states add up to; reset wins over blackhole for one pair. */
export function packetCuts(links: readonly NodeLink[], states: ReadonlyMap<string, LinkState>): PacketCut[] {
  const cuts = new Map<string, PacketCut>();
  const add = (from: string, to: string, mode: 'pass' | CutMode) => {
    if (mode === 'pass') return;
    const key = `${from}\u0000${to}`;
    if (cuts.get(key)?.mode === 'reset') return;
    cuts.set(key, { from, to, mode });
  };
  for (const link of links) {
    const state = states.get(link.name);
    if (!state) continue;
    add(link.from, link.to, state.upstream.mode);
    add(link.to, link.from, state.downstream.mode);
  }
  return [...cuts.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
}

const TABLE = 'inet faultline';

function rule(match: string, mode: CutMode): string[] {
  // A reset answers TCP with RST (the connection dies at once), anything else is dropped.
  return mode === 'reset' ? [`${match} meta l4proto tcp reject with tcp reset`, `${match} drop`] : [`${match} drop`];
}

/**
 * The nftables script that puts `node`'s namespace in the state the cuts ask for, replacing
 * whatever faultline put there before in one transaction (heal: an empty table).
 */
export function nodeRuleset(node: string, cuts: readonly PacketCut[], addressOf: (name: string) => string): string {
  const input = cuts.filter((cut) => cut.to === node).flatMap((cut) => rule(`ip saddr ${addressOf(cut.from)}`, cut.mode));
  const output = cuts.filter((cut) => cut.from === node).flatMap((cut) => rule(`ip daddr ${addressOf(cut.to)}`, cut.mode));
  const chain = (name: string, hook: string, rules: string[]) =>
    [`  chain ${name} {`, `    type filter hook ${hook} priority -10; policy accept;`, ...rules.map((r) => `    ${r}`), '  }'].join('\n');
  return [
    // "add" then "delete": the table exists whatever came before, so the delete never fails.
    `add table ${TABLE}`,
    `delete table ${TABLE}`,
    ...(input.length + output.length === 0 ? [] : [`table ${TABLE} {`, chain('input', 'input', input), chain('output', 'output', output), '}']),
    '',
  ].join('\n');
}

/** True when the ruleset holds no rule (what a fresh namespace has). */
export function isEmptyRuleset(ruleset: string): boolean {
  return !ruleset.includes('chain ');
}
