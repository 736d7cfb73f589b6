import type { Random } from '../workload/random.ts';

export interface NodeSnapshot {
  readonly name: string;
  readonly role: 'primary' | 'replica';
}

export const CLIENTS = 'clients';

/**
 * Turns a target word into node names, at the moment the fault starts: "primary" is whoever is
 * primary then (after a failover, the new one). Random choices come from the run's seed.
 */
export function resolveTarget(target: string, nodes: readonly NodeSnapshot[], random: Random): string[] {
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

/** A party of a partition or link fault: a target, or the clients. */
export function resolveParty(party: string, nodes: readonly NodeSnapshot[], random: Random): string[] {
  return party === CLIENTS ? [CLIENTS] : resolveTarget(party, nodes, random);
}
