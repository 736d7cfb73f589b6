import { CLEAN, type DirectionState, type LinkState } from '../../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../../harness/fault/link-selection.ts';
import { clientParty } from '../../../harness/regions/client-regions.ts';
import type { DirectionFaults } from '../../../harness/network/link-faults.ts';
import { LinkProxy } from '../../../harness/network/link-proxy.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { Geography, OneWayDelay } from '../../network/proxied-network.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';

// Distances between regions for a PostgreSQL topology in containers. This kernel has no netem, so
// a delay cannot be put on a container's interface; it goes through the user-space link proxy
// instead, as under the local provider:
// - a client region's path to a node: a proxy link on 127.0.0.1 towards the node's published port;
// - a node's path to a node in another region (replication, subscriptions, FDW): a proxy link
//   listening on the gateway of the run's Docker network (a host address only the run's own
//   containers reach), towards the node's published port. The node is told to connect there.
// Pairs with no distance keep the direct path on the run's network. A fault on a distant link
// acts on its proxy link (a cut blackholes it, latency adds to the distance) and, for a cut, on
// the direct path as well (rules in the nodes' namespaces), so neither path slips through.

export interface RegionalNode {
  readonly name: string;
  /** The host port Docker publishes the server on (127.0.0.1). */
  readonly port: number;
  readonly region?: string | undefined;
  endpoint(): { readonly host: string };
}

export interface DistanceProxy {
  addLink(name: string, target: { host: string; port: number }, listenPort: number, listenHost?: string): Promise<{ port: number }>;
  setFaults(name: string, faults: { upstream: DirectionFaults; downstream: DirectionFaults }): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const far = (d: OneWayDelay) => d.delayMs > 0 || d.jitterMs > 0;

function toDirection(state: DirectionState, distance: OneWayDelay): DirectionFaults {
  const delayMs = state.delayMs + distance.delayMs;
  const jitterMs = state.jitterMs + distance.jitterMs;
  return {
    mode: state.mode,
    ...(delayMs > 0 || jitterMs > 0 ? { latency: { delayMs, jitterMs } } : {}),
    ...(state.bytesPerSecond === undefined ? {} : { bandwidth: { bytesPerSecond: state.bytesPerSecond } }),
  };
}

/** Only the cut of a state: what rules in a namespace can do (they have no delay). */
function cutOnly(state: LinkState): LinkState {
  const plain = (d: DirectionState): DirectionState => ({ ...d, delayMs: 0, jitterMs: 0, bytesPerSecond: undefined });
  return { upstream: plain(state.upstream), downstream: plain(state.downstream) };
}

interface ProxiedLink {
  readonly port: number;
  readonly host: string;
  readonly distance: OneWayDelay;
}

/**
 * `inner` (the containers' own network: direct peer paths, client links) with the scenario's
 * distances added. Returns `inner` itself when no pair of parties is apart.
 */
export async function withRegionDistances(
  inner: TopologyNetwork,
  nodes: readonly RegionalNode[],
  geography: Geography | undefined,
  sandbox: RunSandbox,
  gateway: string,
  startProxy: () => Promise<DistanceProxy> = () => LinkProxy.start(),
): Promise<TopologyNetwork> {
  if (!geography) return inner;
  const plan: { name: string; from: string; fromRegion?: string | undefined; to: RegionalNode; distance: OneWayDelay; host: string }[] = [];
  for (const region of geography.clientRegions) {
    for (const to of nodes) plan.push({ name: `${clientParty(region)}->${to.name}`, from: clientParty(region), fromRegion: region, to, distance: geography.delay(region, to.region), host: '127.0.0.1' });
  }
  for (const from of nodes) {
    for (const to of nodes) {
      const distance = geography.delay(from.region, to.region);
      if (from !== to && far(distance)) plan.push({ name: `${from.name}->${to.name}`, from: from.name, fromRegion: from.region, to, distance, host: gateway });
    }
  }
  if (plan.length === 0) return inner;
  const proxy = await startProxy();
  const proxied = new Map<string, ProxiedLink>();
  const regionLinks: LinkInfo[] = [];
  try {
    for (const link of plan) {
      const { port } = await proxy.addLink(link.name, { host: link.to.endpoint().host, port: link.to.port }, await sandbox.allocatePort(), link.host);
      proxied.set(link.name, { port, host: link.host, distance: link.distance });
      if (far(link.distance)) await proxy.setFaults(link.name, { upstream: toDirection(CLEAN, link.distance), downstream: toDirection(CLEAN, link.distance) });
      if (link.host === '127.0.0.1') {
        regionLinks.push({ name: link.name, from: link.from, to: link.to.name, fromRegion: link.fromRegion!, ...(link.to.region === undefined ? {} : { toRegion: link.to.region }) });
      }
    }
  } catch (error) {
    await proxy[Symbol.asyncDispose]();
    throw error;
  }
  const nodeLink = (name: string) => (proxied.get(name)?.host === gateway ? proxied.get(name) : undefined);
  return {
    portOf: (from, to) => proxied.get(`${from}->${to}`)?.port ?? inner.portOf(from, to),
    hostOf: (from, to) => proxied.get(`${from}->${to}`)?.host ?? inner.hostOf?.(from, to) ?? '127.0.0.1',
    links: () => [...inner.links(), ...regionLinks],
    linkControl: {
      async setLinkState(link: string, state: LinkState) {
        const via = proxied.get(link);
        if (!via) return inner.linkControl.setLinkState(link, state);
        await proxy.setFaults(link, { upstream: toDirection(state.upstream, via.distance), downstream: toDirection(state.downstream, via.distance) });
        // A distant node link also has the direct path on the run's network: cut it too.
        if (nodeLink(link)) await inner.linkControl.setLinkState(link, cutOnly(state));
      },
    },
    [Symbol.asyncDispose]: async () => {
      await proxy[Symbol.asyncDispose]();
      await inner[Symbol.asyncDispose]();
    },
  };
}
