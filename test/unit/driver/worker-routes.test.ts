import { describe, expect, it } from 'vitest';
import { routeTable, tableRoutes, topologyRoutes, type RoutingTopology } from '../../../src/harness/driver/worker-routes.ts';
import type { DbNode, Endpoint } from '../../../src/topologies/topology.ts';

// A load thread holds no topology: it routes from tables the run sends. The table must give each
// worker what the topology would have (write candidates in order, its share of the read nodes,
// its region's endpoints), and a new table (after a failover) must take effect at once.

const endpoint = (port: number): Endpoint => ({ host: '127.0.0.1', port, user: 'u', password: 'p', database: 'd' });
const node = (name: string, port: number) => ({ name, endpoint: () => endpoint(port) }) as unknown as DbNode;

function topology(primary: DbNode, nodes: DbNode[]): RoutingTopology {
  // As the topologies do: reads go to the replicas, or to the primary when it is alone.
  return { nodes, primary: () => primary, readNodes: () => (nodes.length > 1 ? nodes.filter((n) => n !== primary) : [primary]) };
}

describe('worker routes', () => {
  const [a, b, c] = [node('primary', 1), node('replica1', 2), node('replica2', 3)];

  it('sends each worker the routes the topology gives it, endpoints resolved for its region', () => {
    const before = topology(a, [a, b, c]);
    const routes = (w: number) => topologyRoutes(before, w, w === 1 ? 'EU' : undefined, (n, region) => ({ ...n.endpoint(), port: n.endpoint().port + (region ? 100 : 0) }));
    const table = routeTable([0, 1], routes);
    expect(table.requireWritable).toBe(true);
    expect(table.workers[0]!.writes.map((n) => [n.name, n.endpoint.port])).toEqual([['primary', 1], ['replica1', 2], ['replica2', 3]]);
    expect(table.workers[0]!.reads.map((n) => n.name)).toEqual(['replica1']);
    expect(table.workers[1]!.reads.map((n) => [n.name, n.endpoint.port])).toEqual([['replica2', 103]]);
    expect(table.workers[2]).toBeUndefined();
  });

  it('routes from the latest table: a failover seen by the run reaches the thread', () => {
    let current = routeTable([0], (w) => topologyRoutes(topology(a, [a, b, c]), w, undefined));
    const routes = tableRoutes(() => current, 0);
    expect(routes.writes()[0]!.name).toBe('primary');
    current = routeTable([0], (w) => topologyRoutes(topology(b, [a, b, c]), w, undefined));
    expect(routes.writes()[0]!.name).toBe('replica1');
    expect(routes.endpointOf(routes.writes()[0]!).port).toBe(2);
    expect(tableRoutes(() => current, 5).writes()).toEqual([]);
  });

  it('needs no writable check for a single node', () => {
    expect(routeTable([0], (w) => topologyRoutes(topology(a, [a]), w, undefined)).requireWritable).toBe(false);
  });
});
