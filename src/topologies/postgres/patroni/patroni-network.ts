import type { LinkControl, LinkState } from '../../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../../harness/fault/link-selection.ts';
import { CLIENTS } from '../../../harness/fault/targets.ts';
import { LinkProxy } from '../../../harness/network/link-proxy.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { inboundPeerState, peerLinkNames } from '../../network/peer-link-state.ts';
import { startPeerRelay, type PeerRelay } from './peer-relay.ts';

// Every path of a Patroni cluster under local processes, through the link proxy when the scenario
// has network faults:
//   clients->N            the load's and the harness readers' connections to PostgreSQL on N
//   N->M etcd             Patroni on N to the etcd member beside M: one link per ordered pair, so a
//                         fault on the node-to-node link N->M lands on it exactly
//   etcd-peer:M->N        etcd member M to member N: one link per ordered pair too, behind a relay
//                         on N's advertised peer port that tells senders apart (peer-relay.ts)
//   pg, rest into N       replication and pg_rewind into N's PostgreSQL, the other members' REST
//                         calls to N
// PostgreSQL and Patroni publish ONE address per member (Patroni's connect_address), so traffic
// into N from any member arrives on one port. Those inbound links take a fault aimed at A->N only
// when every member's link into N carries it (peer-link-state.ts, as for MongoDB): isolating N
// cuts everything into N; `between: [primary, replicas]` delays or cuts replication into the
// primary exactly. What cannot be expressed this way (a cut between two replicas while both still
// reach the primary) leaves that inbound traffic untouched; the store's links (Patroni to etcd,
// etcd to etcd) are always exact.
// Patroni on N reaches its own etcd member directly (the same machine in production).

export interface PatroniPorts {
  readonly name: string;
  readonly pgPort: number;
  readonly restPort: number;
  readonly etcdClientPort: number;
  readonly etcdPeerPort: number;
  /** The node's etcd member's pid now (the relay tells peer connections apart by it). */
  readonly etcdPid: () => number | undefined;
}

export interface PatroniNetwork extends AsyncDisposable {
  clientPort(node: string): number;
  /** Where the other members reach node's PostgreSQL, REST API and etcd peer port. */
  pgAdvertisedPort(node: string): number;
  restAdvertisedPort(node: string): number;
  etcdPeerAdvertisedPort(node: string): number;
  /** Where Patroni on `from` reaches the etcd member beside `to`. */
  etcdClientPort(from: string, to: string): number;
  links(): readonly LinkInfo[];
  readonly linkControl: LinkControl;
}

export function directPatroniNetwork(nodes: readonly PatroniPorts[]): PatroniNetwork {
  const of = (name: string) => nodes.find((node) => node.name === name)!;
  return {
    clientPort: (node) => of(node).pgPort,
    pgAdvertisedPort: (node) => of(node).pgPort,
    restAdvertisedPort: (node) => of(node).restPort,
    etcdPeerAdvertisedPort: (node) => of(node).etcdPeerPort,
    etcdClientPort: (_from, to) => of(to).etcdClientPort,
    links: () => [],
    linkControl: {
      setLinkState: async () => {
        throw new Error('this topology was started without link proxies, so network faults cannot be applied');
      },
    },
    [Symbol.asyncDispose]: async () => {},
  };
}

const INBOUND = ['pg', 'rest'] as const;

export async function proxiedPatroniNetwork(nodes: readonly PatroniPorts[], sandbox: RunSandbox): Promise<PatroniNetwork> {
  const proxy = await LinkProxy.start();
  const ports = new Map<string, number>();
  const relays: PeerRelay[] = [];
  const add = async (name: string, port: number) => {
    const link = await proxy.addLink(name, { host: '127.0.0.1', port }, await sandbox.allocatePort());
    ports.set(name, link.port);
  };
  try {
    for (const node of nodes) {
      await add(`${CLIENTS}->${node.name}`, node.pgPort);
      await add(`pg:peers->${node.name}`, node.pgPort);
      await add(`rest:peers->${node.name}`, node.restPort);
      for (const from of nodes) {
        if (from === node) continue;
        await add(`etcd:${from.name}->${node.name}`, node.etcdClientPort);
        await add(`etcd-peer:${from.name}->${node.name}`, node.etcdPeerPort);
      }
      const sources = nodes.filter((from) => from !== node).map((from) => ({ name: from.name, pid: from.etcdPid }));
      const relay = await startPeerRelay(await sandbox.allocatePort(), sources, (from) => ports.get(`etcd-peer:${from}->${node.name}`)!);
      relays.push(relay);
      ports.set(`etcd-peer:peers->${node.name}`, relay.port);
    }
  } catch (error) {
    await Promise.all(relays.map((relay) => relay.close()));
    await proxy[Symbol.asyncDispose]();
    throw error;
  }
  const names = nodes.map((node) => node.name);
  const links: LinkInfo[] = [...nodes.map((node) => ({ name: `${CLIENTS}->${node.name}`, from: CLIENTS, to: node.name })), ...peerLinkNames(names)];
  const logical = new Map<string, LinkState>();
  const set = (name: string, state: LinkState) =>
    proxy.setFaults(name, {
      upstream: { mode: state.upstream.mode, ...latencyOf(state.upstream), ...bandwidthOf(state.upstream) },
      downstream: { mode: state.downstream.mode, ...latencyOf(state.downstream), ...bandwidthOf(state.downstream) },
    });
  const portOf = (name: string) => {
    const port = ports.get(name);
    if (port === undefined) throw new Error(`no link ${name}`);
    return port;
  };
  return {
    clientPort: (node) => portOf(`${CLIENTS}->${node}`),
    pgAdvertisedPort: (node) => portOf(`pg:peers->${node}`),
    restAdvertisedPort: (node) => portOf(`rest:peers->${node}`),
    etcdPeerAdvertisedPort: (node) => portOf(`etcd-peer:peers->${node}`),
    etcdClientPort: (from, to) => (from === to ? nodes.find((node) => node.name === to)!.etcdClientPort : portOf(`etcd:${from}->${to}`)),
    links: () => links,
    linkControl: {
      async setLinkState(link, state) {
        if (link.startsWith(`${CLIENTS}->`)) return set(link, state);
        logical.set(link, state);
        const [from, to] = link.split('->') as [string, string];
        const inbound = inboundPeerState(to, names, logical);
        await Promise.all([
          set(`etcd:${from}->${to}`, state),
          set(`etcd-peer:${from}->${to}`, state),
          ...INBOUND.map((service) => set(`${service}:peers->${to}`, inbound)),
        ]);
      },
    },
    [Symbol.asyncDispose]: async () => {
      await Promise.all(relays.map((relay) => relay.close()));
      await proxy[Symbol.asyncDispose]();
    },
  };
}

function latencyOf(state: LinkState['upstream']) {
  return state.delayMs > 0 || state.jitterMs > 0 ? { latency: { delayMs: state.delayMs, jitterMs: state.jitterMs } } : {};
}

function bandwidthOf(state: LinkState['upstream']) {
  return state.bytesPerSecond === undefined ? {} : { bandwidth: { bytesPerSecond: state.bytesPerSecond } };
}
