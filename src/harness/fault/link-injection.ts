import type { InjectContext, InjectedFault } from './fault-kind.ts';
import type { LinkEffect } from './link-effects.ts';
import type { Direction, LinkInfo, LinkSelection } from './link-selection.ts';
import { resolveParty } from './targets.ts';

// How network faults act: each kind chooses links between parties resolved at the moment it
// starts, and says what it does to one link in one direction. The effects compose per link
// (link-effects.ts) and are put in force by the topology's link control: the link proxy on
// local processes, rules in the nodes' namespaces on containers (container-firewall.ts).

/** A party of the fault (a target, clients, or a region) as the set of link ends it stands for. */
export type PartyResolver = (party: string) => ReadonlySet<string>;

/** Applies `effect` to every selected link; `pulseMs`: a pulse, removed after that long and over at once. */
export async function injectOnLinks(
  context: InjectContext,
  select: (links: readonly LinkInfo[], party: PartyResolver) => LinkSelection[],
  effect: (direction: Direction) => LinkEffect,
  pulseMs?: number,
): Promise<InjectedFault> {
  const { id, surface, network, random } = context;
  const nodes = surface.nodesNow();
  const links = surface.links();
  const party: PartyResolver = (name) => new Set(resolveParty(name, nodes, random, links));
  const selection = select(links, party);
  for (const { link, direction } of selection) await network.apply(id, link, effect(direction));
  if (pulseMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, pulseMs));
    await network.remove(id);
  }
  return {
    instant: pulseMs !== undefined,
    targets: selection.map((s) => (s.direction === 'both' ? s.link : `${s.link} (${s.direction})`)),
    heal: () => network.remove(id),
  };
}
