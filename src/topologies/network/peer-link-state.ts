import { CLEAN, type DirectionState, type LinkState } from '../../harness/fault/link-effects.ts';

// MongoDB members reach a peer at the one host:port the replica-set config names, so the proxy
// sees all member traffic INTO a node on one link ("peers->B"), whoever sends it. Faults are
// aimed at node-to-node links ("A->B"), as for PostgreSQL; this maps them onto the inbound
// links: peers->B takes a fault only when every peer's link into B carries it, otherwise it
// stays clean (cutting it would also cut peers that are meant to still reach B).
//
// So a partition that leaves one member alone on its side (between [primary, replicas],
// isolate: X) cuts everything into it: the others cannot reach it and elect a new primary; its
// own connections to them still pass, so it hears of the new term at its next heartbeat and
// steps down, as it would when its election timeout ran out. Sides of two or more members each
// cannot be expressed on inbound links and leave member traffic untouched (clients' links are
// still cut exactly).

export const CLEAN_LINK: LinkState = { upstream: CLEAN, downstream: CLEAN };

function sameDirection(a: DirectionState, b: DirectionState): boolean {
  return a.mode === b.mode && a.delayMs === b.delayMs && a.jitterMs === b.jitterMs && a.bytesPerSecond === b.bytesPerSecond;
}

function same(a: LinkState, b: LinkState): boolean {
  return sameDirection(a.upstream, b.upstream) && sameDirection(a.downstream, b.downstream);
}

/** The state of the physical link into `to`, from the states of the logical links peer->to. */
export function inboundPeerState(to: string, peers: readonly string[], logical: ReadonlyMap<string, LinkState>): LinkState {
  const states = peers.filter((peer) => peer !== to).map((peer) => logical.get(`${peer}->${to}`) ?? CLEAN_LINK);
  const [first, ...rest] = states;
  if (first === undefined) return CLEAN_LINK;
  return rest.every((state) => same(state, first)) ? first : CLEAN_LINK;
}

/** The logical link names a partition or latency fault can select between members. */
export function peerLinkNames(nodes: readonly string[]): { name: string; from: string; to: string }[] {
  return nodes.flatMap((from) => nodes.filter((to) => to !== from).map((to) => ({ name: `${from}->${to}`, from, to })));
}
