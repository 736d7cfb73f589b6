import { CLEAN, type DirectionState, type LinkState } from '../../harness/fault/link-effects.ts';
import { clientParty } from '../../harness/regions/client-regions.ts';
import { CLIENTS } from '../../harness/fault/targets.ts';
import type { LinkInfo } from '../../harness/fault/link-selection.ts';
import type { DirectionFaults } from '../../harness/network/link-faults.ts';
import { LinkProxy } from '../../harness/network/link-proxy.ts';
import type { RunSandbox } from '../../harness/process/run-sandbox.ts';
import type { TopologyNetwork } from './topology-network.ts';

interface ProxiedNode {
  readonly name: string;
  readonly port: number;
  readonly region?: string | undefined;
}

/** Where the clients are and how far apart regions are; absent: one place, no added delay. */
export interface Geography {
  readonly clientRegions: readonly string[];
  /** One-way delay between two regions (either may be undefined: a party with no region). */
  delay(from: string | undefined, to: string | undefined): OneWayDelay;
}

export interface OneWayDelay {
  readonly delayMs: number;
  readonly jitterMs: number;
}

const NO_DELAY: OneWayDelay = { delayMs: 0, jitterMs: 0 };

/** The distance between regions is always there; faults' latency adds to it and a cut still cuts. */
function withDistance(state: DirectionState, distance: OneWayDelay): DirectionState {
  return { ...state, delayMs: state.delayMs + distance.delayMs, jitterMs: state.jitterMs + distance.jitterMs };
}

function toDirection(state: DirectionState): DirectionFaults {
  return {
    mode: state.mode,
    ...(state.delayMs > 0 || state.jitterMs > 0 ? { latency: { delayMs: state.delayMs, jitterMs: state.jitterMs } } : {}),
    ...(state.bytesPerSecond === undefined ? {} : { bandwidth: { bytesPerSecond: state.bytesPerSecond } }),
  };
}

/**
 * Every path through the link proxy: clients → each node, and each node → every other node
 * (today's replication upstream, or tomorrow's after a failover). Listening ports come from the
 * run's sandbox, so the watchdog releases them even if the harness is killed.
 */
export async function proxiedNetwork(nodes: readonly ProxiedNode[], sandbox: RunSandbox, geography?: Geography): Promise<TopologyNetwork> {
  const proxy = await LinkProxy.start();
  const links: LinkInfo[] = [];
  const ports = new Map<string, number>();
  const distances = new Map<string, OneWayDelay>();
  const setState = (link: string, state: LinkState) => {
    const distance = distances.get(link) ?? NO_DELAY;
    return proxy.setFaults(link, {
      upstream: toDirection(withDistance(state.upstream, distance)),
      downstream: toDirection(withDistance(state.downstream, distance)),
    });
  };
  try {
    const add = async (from: string, fromRegion: string | undefined, to: ProxiedNode) => {
      const name = `${from}->${to.name}`;
      const { port } = await proxy.addLink(name, { host: '127.0.0.1', port: to.port }, await sandbox.allocatePort());
      links.push({ name, from, to: to.name, ...(fromRegion === undefined ? {} : { fromRegion }), ...(to.region === undefined ? {} : { toRegion: to.region }) });
      ports.set(name, port);
      const distance = geography?.delay(fromRegion, to.region) ?? NO_DELAY;
      if (distance.delayMs > 0 || distance.jitterMs > 0) {
        distances.set(name, distance);
        await setState(name, { upstream: CLEAN, downstream: CLEAN });
      }
    };
    // Unregioned clients: the harness's own readers (lag sampler, checkers), and workers when no regions are declared.
    for (const node of nodes) await add(CLIENTS, undefined, node);
    for (const region of geography?.clientRegions ?? []) for (const node of nodes) await add(clientParty(region), region, node);
    for (const from of nodes) for (const to of nodes) if (from !== to) await add(from.name, from.region, to);
  } catch (error) {
    await proxy[Symbol.asyncDispose]();
    throw error;
  }
  return {
    portOf(from, to) {
      const port = ports.get(`${from}->${to}`);
      if (port === undefined) throw new Error(`no link from ${from} to ${to}`);
      return port;
    },
    links: () => links,
    linkControl: { setLinkState: setState },
    [Symbol.asyncDispose]: () => proxy[Symbol.asyncDispose](),
  };
}
