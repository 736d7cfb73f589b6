import { ContainerFirewall, type NamespaceNode } from '../../../harness/fault/container-firewall.ts';
import type { DirectionState, LinkControl, LinkState } from '../../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../../harness/fault/link-selection.ts';
import { CLIENTS } from '../../../harness/fault/targets.ts';
import type { DirectionFaults } from '../../../harness/network/link-faults.ts';
import { LinkProxy } from '../../../harness/network/link-proxy.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { peerLinkNames } from '../../network/peer-link-state.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import { PG_PORT } from './pg-container-files.ts';

/** What the network needs of a container node. */
export interface FaultableContainer extends NamespaceNode {
  readonly port: number;
  endpoint(): { readonly host: string };
  namespaceListener: ((fresh: boolean) => Promise<void>) | undefined;
}

export interface ProxyLinks {
  addLink(name: string, target: { host: string; port: number }, listenPort: number): Promise<{ port: number }>;
  setFaults(name: string, faults: { upstream: DirectionFaults; downstream: DirectionFaults }): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function toDirection(state: DirectionState): DirectionFaults {
  return {
    mode: state.mode,
    ...(state.delayMs > 0 || state.jitterMs > 0 ? { latency: { delayMs: state.delayMs, jitterMs: state.jitterMs } } : {}),
    ...(state.bytesPerSecond === undefined ? {} : { bandwidth: { bytesPerSecond: state.bytesPerSecond } }),
  };
}

const UNFAULTABLE: LinkControl = {
  setLinkState: async () => {
    throw new Error('this topology was started without network faults, so no link can be faulted');
  },
};

/**
 * The paths of a PostgreSQL topology in containers. Nodes reach each other by name on the run's
 * Docker network (port 5432), the only network they are on; clients reach a node through the
 * port Docker publishes on 127.0.0.1. With network faults:
 * - a client link (clients -> node) is a link of the user-space proxy: cuts, resets, latency,
 *   jitter and bandwidth, exact and per direction, as under the local provider;
 * - a link between nodes is cut by nftables rules in the two nodes' own network namespaces
 *   (ContainerFirewall), per direction, so isolate, sides, between and one-way are all exact; the
 *   nodes never leave the run's network, so a partition never touches a client connection;
 *   bandwidth between nodes is htb in the sender's namespace, a delay netem (refused, with the
 *   reason, where the kernel has none).
 */
export async function containerPgNetwork(
  nodes: readonly FaultableContainer[],
  sandbox: RunSandbox,
  faultable: boolean,
  startProxy: () => Promise<ProxyLinks> = () => LinkProxy.start(),
): Promise<TopologyNetwork> {
  const names = new Set(nodes.map((node) => node.name));
  const node = (name: string) => {
    const found = nodes.find((n) => n.name === name);
    if (!found) throw new Error(`no node named ${name}`);
    return found;
  };
  const clientPorts = new Map<string, number>();
  const proxy = faultable ? await startProxy() : undefined;
  try {
    for (const target of proxy ? nodes : []) {
      const name = `${CLIENTS}->${target.name}`;
      const { port } = await proxy!.addLink(name, { host: target.endpoint().host, port: target.port }, await sandbox.allocatePort());
      clientPorts.set(target.name, port);
    }
  } catch (error) {
    await proxy?.[Symbol.asyncDispose]();
    throw error;
  }
  const peerLinks = peerLinkNames([...names]);
  const links: LinkInfo[] = [...nodes.map((n) => ({ name: `${CLIENTS}->${n.name}`, from: CLIENTS, to: n.name })), ...peerLinks];
  const firewall = new ContainerFirewall(nodes, peerLinks);
  if (proxy) for (const n of nodes) n.namespaceListener = (fresh) => firewall.namespaceChanged(n.name, fresh);
  return {
    portOf(from, to) {
      if (from === CLIENTS) return clientPorts.get(to) ?? node(to).port;
      if (names.has(from)) return PG_PORT;
      throw new Error(`no link from ${from} to ${to}: regions need the local provider`);
    },
    hostOf(from, to) {
      return names.has(from) ? to : node(to).endpoint().host;
    },
    links: () => (proxy ? links : []),
    linkControl: proxy
      ? {
          async setLinkState(link: string, state: LinkState) {
            if (link.startsWith(`${CLIENTS}->`)) return proxy.setFaults(link, { upstream: toDirection(state.upstream), downstream: toDirection(state.downstream) });
            await firewall.setLinkState(link, state);
          },
        }
      : UNFAULTABLE,
    [Symbol.asyncDispose]: async () => {
      for (const n of nodes) n.namespaceListener = undefined;
      await proxy?.[Symbol.asyncDispose]();
    },
  };
}
