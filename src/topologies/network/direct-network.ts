import type { TopologyNetwork } from './topology-network.ts';

/** No proxies: everything connects straight to the servers, and no link can be faulted. */
export function directNetwork(portOfNode: (name: string) => number): TopologyNetwork {
  return {
    portOf: (_from, to) => portOfNode(to),
    links: () => [],
    linkControl: {
      setLinkState: async () => {
        throw new Error('this topology was started without link proxies, so network faults cannot be applied');
      },
    },
    [Symbol.asyncDispose]: async () => {},
  };
}
