import type { DirectionState, LinkState } from '../../harness/fault/link-effects.ts';
import { CLIENTS } from '../../harness/fault/targets.ts';
import type { LinkInfo } from '../../harness/fault/link-selection.ts';
import type { DirectionFaults } from '../../harness/network/link-faults.ts';
import { LinkProxy } from '../../harness/network/link-proxy.ts';
import type { RunSandbox } from '../../harness/process/run-sandbox.ts';
import type { TopologyNetwork } from './topology-network.ts';

interface ProxiedNode {
  readonly name: string;
  readonly port: number;
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
export async function proxiedNetwork(nodes: readonly ProxiedNode[], sandbox: RunSandbox): Promise<TopologyNetwork> {
  const proxy = await LinkProxy.start();
  const links: LinkInfo[] = [];
  const ports = new Map<string, number>();
  try {
    const add = async (from: string, to: ProxiedNode) => {
      const name = `${from}->${to.name}`;
      const { port } = await proxy.addLink(name, { host: '127.0.0.1', port: to.port }, await sandbox.allocatePort());
      links.push({ name, from, to: to.name });
      ports.set(name, port);
    };
    for (const node of nodes) await add(CLIENTS, node);
    for (const from of nodes) for (const to of nodes) if (from !== to) await add(from.name, to);
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
    linkControl: {
      setLinkState: (link: string, state: LinkState) =>
        proxy.setFaults(link, { upstream: toDirection(state.upstream), downstream: toDirection(state.downstream) }),
    },
    [Symbol.asyncDispose]: () => proxy[Symbol.asyncDispose](),
  };
}
