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

/** True when the ruleset (and shaping) hold no rule: what a fresh namespace has. */
export function isEmptyRuleset(ruleset: string): boolean {
  return !ruleset.includes('chain ') && !ruleset.includes(' htb ');
}

// Slow links between containers: traffic control on the sender's interface, in its namespace.
// Kernel netem is absent on these machines; htb (a rate per destination, tbf's token bucket per
// class) is there. A delay is asked of netem under the destination's class, and refused with the
// engine's own words where netem is missing.

/** Packets from `from` to `to` go at most `bytesPerSecond`, after `delayMs` (± `jitterMs`). */
export interface PacketShape {
  readonly from: string;
  readonly to: string;
  readonly bytesPerSecond: number | undefined;
  readonly delayMs: number;
  readonly jitterMs: number;
}

/** The shaping the link states add up to: the narrowest rate and the largest delay for one pair. */
export function packetShapes(links: readonly NodeLink[], states: ReadonlyMap<string, LinkState>): PacketShape[] {
  const shapes = new Map<string, PacketShape>();
  const add = (from: string, to: string, direction: LinkState['upstream']) => {
    if (direction.bytesPerSecond === undefined && direction.delayMs === 0 && direction.jitterMs === 0) return;
    const key = `${from}\u0000${to}`;
    const before = shapes.get(key);
    const rates = [before?.bytesPerSecond, direction.bytesPerSecond].filter((rate): rate is number => rate !== undefined);
    shapes.set(key, {
      from,
      to,
      bytesPerSecond: rates.length ? Math.min(...rates) : undefined,
      delayMs: Math.max(before?.delayMs ?? 0, direction.delayMs),
      jitterMs: Math.max(before?.jitterMs ?? 0, direction.jitterMs),
    });
  };
  for (const link of links) {
    const state = states.get(link.name);
    if (!state) continue;
    add(link.from, link.to, state.upstream);
    add(link.to, link.from, state.downstream);
  }
  return [...shapes.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
}

/** The container's interface on the run's network: its only one. */
const DEV = 'eth0';

/** A shell script that puts `node`'s egress shaping in the state the shapes ask for (heal: none). */
export function shapingScript(node: string, shapes: readonly PacketShape[], addressOf: (name: string) => string): string {
  const mine = shapes.filter((shape) => shape.from === node);
  const reset = `tc qdisc del dev ${DEV} root 2>/dev/null || true`;
  if (mine.length === 0) return reset;
  const lines = [reset, 'set -e', `tc qdisc add dev ${DEV} root handle 1: htb default 1`, `tc class add dev ${DEV} parent 1: classid 1:1 htb rate 10gbit`];
  mine.forEach((shape, i) => {
    const id = 10 + i;
    const bits = shape.bytesPerSecond === undefined ? '10gbit' : `${Math.max(8, Math.round(shape.bytesPerSecond * 8))}bit`;
    // The bucket holds at least a full frame, or a tenth of a second's worth at the rate.
    const burst = Math.max(1600, Math.round((shape.bytesPerSecond ?? 0) / 10));
    lines.push(`tc class add dev ${DEV} parent 1: classid 1:${id} htb rate ${bits} ceil ${bits} burst ${burst}`);
    if (shape.delayMs > 0 || shape.jitterMs > 0) {
      lines.push(`tc qdisc add dev ${DEV} parent 1:${id} handle ${id}: netem delay ${shape.delayMs}ms${shape.jitterMs > 0 ? ` ${shape.jitterMs}ms` : ''}`);
    }
    lines.push(`tc filter add dev ${DEV} parent 1: protocol ip prio 1 u32 match ip dst ${addressOf(shape.to)}/32 flowid 1:${id}`);
  });
  return lines.join('\n');
}
