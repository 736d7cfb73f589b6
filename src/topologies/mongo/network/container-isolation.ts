import type { LinkControl, LinkState } from '../../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../../harness/fault/link-selection.ts';
import { CLIENTS } from '../../../harness/fault/targets.ts';
import { peerLinkNames } from '../../network/peer-link-state.ts';

/** A node whose peer path and client path can each be cut (a docker network disconnect). */
export interface Cuttable {
  readonly name: string;
  setCut(path: 'peers' | 'clients', cut: boolean): Promise<void>;
}

const isCut = (state: LinkState) => state.upstream.mode !== 'pass' || state.downstream.mode !== 'pass';

/**
 * Network faults for containers. Docker can only take a container off a whole network, so a
 * node leaves the run's network while every link between it and its peers is cut (either
 * direction), and leaves the bridge while its client link is cut; it returns as soon as one is
 * healed. A partition that leaves a member alone on its side (between [primary, replicas],
 * isolate) is exact; sides of two or more members leave member traffic untouched.
 */
export function containerLinks(nodes: readonly Cuttable[]): { links: readonly LinkInfo[]; linkControl: LinkControl } {
  const names = nodes.map((node) => node.name);
  const links: LinkInfo[] = [...names.map((name) => ({ name: `${CLIENTS}->${name}`, from: CLIENTS, to: name })), ...peerLinkNames(names)];
  const cutLinks = new Set<string>();
  return {
    links,
    linkControl: {
      async setLinkState(link, state) {
        if (isCut(state)) cutLinks.add(link);
        else cutLinks.delete(link);
        for (const node of nodes) {
          const peers = links.filter((l) => l.from !== CLIENTS && (l.from === node.name || l.to === node.name));
          await node.setCut('peers', peers.length > 0 && peers.every((l) => cutLinks.has(l.name)));
          await node.setCut('clients', cutLinks.has(`${CLIENTS}->${node.name}`));
        }
      },
    },
  };
}
