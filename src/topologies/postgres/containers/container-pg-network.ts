import type { DirectionState, LinkControl, LinkState } from '../../../harness/fault/link-effects.ts';
import { CLIENTS } from '../../../harness/fault/targets.ts';
import type { DirectionFaults } from '../../../harness/network/link-faults.ts';
import { LinkProxy } from '../../../harness/network/link-proxy.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { containerLinks } from '../../mongo/network/container-isolation.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import { PG_PORT } from './pg-container-files.ts';

/** What the network needs of a container node. */
export interface PeerCuttable {
  readonly name: string;
  readonly port: number;
  endpoint(): { readonly host: string };
  setPeersCut(cut: boolean): Promise<void>;
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
 * Docker network (port 5432 inside it); clients reach a node through the port Docker publishes.
 * With network faults, each client path is a link of the proxy (exact, per direction, like the
 * local provider's), and node-to-node faults take a node off the run's network while every link
 * between it and its peers is cut (a partition that leaves one node alone is exact; two-against-
 * two sides leave node traffic alone, as for MongoDB in containers).
 */
export async function containerPgNetwork(
  nodes: readonly PeerCuttable[],
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
  const peers = containerLinks(nodes.map((n) => ({ name: n.name, setCut: async (path: 'peers' | 'clients', cut: boolean) => (path === 'peers' ? n.setPeersCut(cut) : undefined) })));
  return {
    portOf(from, to) {
      if (from === CLIENTS) return clientPorts.get(to) ?? node(to).port;
      if (names.has(from)) return PG_PORT;
      throw new Error(`no link from ${from} to ${to}: regions need the local provider`);
    },
    hostOf(from, to) {
      return names.has(from) ? to : node(to).endpoint().host;
    },
    links: () => (proxy ? peers.links : []),
    linkControl: proxy
      ? {
          async setLinkState(link: string, state: LinkState) {
            if (link.startsWith(`${CLIENTS}->`)) return proxy.setFaults(link, { upstream: toDirection(state.upstream), downstream: toDirection(state.downstream) });
            await peers.linkControl.setLinkState(link, state);
          },
        }
      : UNFAULTABLE,
    [Symbol.asyncDispose]: async () => {
      await proxy?.[Symbol.asyncDispose]();
    },
  };
}
