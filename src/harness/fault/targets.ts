import type { LinkInfo } from './link-selection.ts';

/** The run's seeded randomness, as far as choosing a target needs it (workload's Random has it). */
export interface Chooser {
  pick<T>(items: readonly T[]): T;
}

export interface NodeSnapshot {
  readonly name: string;
  readonly role: 'primary' | 'replica';
}

export const CLIENTS = 'clients';

/**
 * Turns a target word into node names, at the moment the fault starts: "primary" is whoever is
 * primary then (after a failover, the new one). Random choices come from the run's seed.
 */
export function resolveTarget(target: string, nodes: readonly NodeSnapshot[], random: Chooser): string[] {
  const replicas = nodes.filter((n) => n.role === 'replica').map((n) => n.name);
  switch (target) {
    case 'primary':
      return nodes.filter((n) => n.role === 'primary').map((n) => n.name);
    case 'replicas':
      return replicas;
    case 'replica':
      return replicas.length > 0 ? [random.pick(replicas)] : [];
    case 'random':
      return nodes.length > 0 ? [random.pick(nodes).name] : [];
    case 'all':
      return nodes.map((n) => n.name);
    default:
      if (nodes.some((n) => n.name === target)) return [target];
      throw new Error(`fault target "${target}" is not a node of this topology (nodes: ${nodes.map((n) => n.name).join(', ')})`);
  }
}

/**
 * A party of a partition or link fault: a target, the clients (of every region), or a region:
 * its nodes and its clients, so `between: [us-east, eu-west]` cuts the ocean and nothing else.
 */
export function resolveParty(party: string, nodes: readonly NodeSnapshot[], random: Chooser, links: readonly LinkInfo[] = []): string[] {
  if (party === CLIENTS) {
    return [CLIENTS, ...new Set(links.map((link) => link.from).filter((from) => from.startsWith(`${CLIENTS}@`)))];
  }
  const inRegion = new Set<string>();
  for (const link of links) {
    if (link.fromRegion === party) inRegion.add(link.from);
    if (link.toRegion === party) inRegion.add(link.to);
  }
  if (inRegion.size > 0) return [...inRegion];
  return resolveTarget(party, nodes, random);
}
