import type { NodeState } from '../../topology.ts';
import type { PgServerNode } from '../pg-server-node.ts';

/**
 * A Patroni node as the role sampler must see it: by its PostgreSQL server, not by its manager.
 * A server left running after `kill part: manager` still takes writes, and a split brain it
 * causes must be seen.
 */
export function serverView(node: PgServerNode & { readonly serverState: NodeState }): PgServerNode {
  return new Proxy(node, {
    get(target, key, receiver) {
      if (key === 'state') return target.serverState;
      return Reflect.get(target, key, receiver);
    },
  });
}
