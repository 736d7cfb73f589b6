import type { DirectionState, LinkControl, LinkState } from '../../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../../harness/fault/link-selection.ts';
import { CLIENTS } from '../../../harness/fault/targets.ts';
import type { DirectionFaults } from '../../../harness/network/link-faults.ts';
import { LinkProxy } from '../../../harness/network/link-proxy.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { inboundPeerState, peerLinkNames } from '../../network/peer-link-state.ts';

/** Where clients and peers connect to reach each node, and the links the nemesis may fault. */
export interface MongoNetwork extends AsyncDisposable {
  clientPort(node: string): number;
  peerPort(node: string): number;
  links(): readonly LinkInfo[];
  readonly linkControl: LinkControl;
}

interface NetNode {
  readonly name: string;
  readonly port: number;
}

/** No proxy: every path goes straight to the server, and no link can be faulted. */
export function directMongoNetwork(nodes: readonly NetNode[]): MongoNetwork {
  const port = (name: string) => nodes.find((node) => node.name === name)!.port;
  return {
    clientPort: port,
    peerPort: port,
    links: () => [],
    linkControl: {
      setLinkState: async () => {
        throw new Error('this topology was started without link proxies, so network faults cannot be applied');
      },
    },
    [Symbol.asyncDispose]: async () => {},
  };
}

function toDirection(state: DirectionState): DirectionFaults {
  return {
    mode: state.mode,
    ...(state.delayMs > 0 || state.jitterMs > 0 ? { latency: { delayMs: state.delayMs, jitterMs: state.jitterMs } } : {}),
    ...(state.bytesPerSecond === undefined ? {} : { bandwidth: { bytesPerSecond: state.bytesPerSecond } }),
  };
}

/**
 * Link proxies for local mongods: `clients->X` for the clients' path to each node, and one
 * inbound `peers->X` per member that the replica-set config names as its host (see
 * peer-link-state.ts for how node-to-node faults land on it). mongos routers get a client link.
 */
export async function proxiedMongoNetwork(members: readonly NetNode[], routers: readonly NetNode[], sandbox: RunSandbox): Promise<MongoNetwork> {
  const proxy = await LinkProxy.start();
  const ports = new Map<string, number>();
  const add = async (name: string, target: NetNode) => {
    const { port } = await proxy.addLink(name, { host: '127.0.0.1', port: target.port }, await sandbox.allocatePort());
    ports.set(name, port);
  };
  try {
    for (const node of [...members, ...routers]) await add(`${CLIENTS}->${node.name}`, node);
    for (const node of members) await add(`peers->${node.name}`, node);
  } catch (error) {
    await proxy[Symbol.asyncDispose]();
    throw error;
  }
  const memberNames = members.map((node) => node.name);
  const links: LinkInfo[] = [
    ...[...members, ...routers].map((node) => ({ name: `${CLIENTS}->${node.name}`, from: CLIENTS, to: node.name })),
    ...peerLinkNames(memberNames),
  ];
  const logical = new Map<string, LinkState>();
  const set = (name: string, state: LinkState) => proxy.setFaults(name, { upstream: toDirection(state.upstream), downstream: toDirection(state.downstream) });
  const portOf = (name: string) => {
    const port = ports.get(name);
    if (port === undefined) throw new Error(`no link ${name}`);
    return port;
  };
  return {
    clientPort: (node) => portOf(`${CLIENTS}->${node}`),
    peerPort: (node) => portOf(`peers->${node}`),
    links: () => links,
    linkControl: {
      async setLinkState(link, state) {
        if (link.startsWith(`${CLIENTS}->`)) return set(link, state);
        logical.set(link, state);
        const to = link.slice(link.indexOf('->') + 2);
        await set(`peers->${to}`, inboundPeerState(to, memberNames, logical));
      },
    },
    [Symbol.asyncDispose]: () => proxy[Symbol.asyncDispose](),
  };
}
