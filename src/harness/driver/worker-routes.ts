import type { DbNode, Endpoint, Topology } from '../../topologies/topology.ts';

// Where a worker's two connections go: the write connection tries candidates in order (the first
// not in recovery wins, as libpq's target_session_attrs=read-write), the read connection takes
// its share of the read nodes. The driver asks the topology live (topologyRoutes); a load thread
// holds no topology, so the main thread sends the same answers as data (RouteTable), again each
// time they change (a failover, a container restarted on another port).

/** A node as a worker connection sees it. */
export interface RouteNode {
  readonly name: string;
}

export interface WorkerRoutes<N extends RouteNode = RouteNode> {
  /** Candidates for the write connection, in the order to try. */
  writes(): readonly N[];
  /** The read connection's node (one; a list for symmetry). */
  reads(): readonly N[];
  /** Whether the write connection must skip a node in recovery (more than one node). */
  readonly requireWritable: boolean;
  /** How this worker reaches a node: a regional worker goes through its region's link. */
  endpointOf(node: N): Endpoint;
}

/** What of a topology routing needs. */
export type RoutingTopology = Pick<Topology, 'nodes' | 'primary' | 'readNodes' | 'writeNodesFor' | 'readNodesFor' | 'writeCandidates'>;

export function topologyRoutes(
  topology: RoutingTopology,
  w: number,
  region: string | undefined,
  endpointFor?: (node: DbNode, region: string | undefined) => Endpoint,
): WorkerRoutes<DbNode> {
  return {
    writes() {
      const regional = region === undefined ? undefined : topology.writeNodesFor?.(region);
      if (regional) return regional;
      const candidates = topology.writeCandidates?.();
      if (candidates) return candidates;
      const primary = topology.primary();
      return [primary, ...topology.nodes.filter((n) => n !== primary)];
    },
    reads() {
      const nodes = (region === undefined ? undefined : topology.readNodesFor?.(region)) ?? topology.readNodes();
      return [nodes[w % nodes.length]!];
    },
    requireWritable: topology.nodes.length > 1,
    endpointOf: (node) => endpointFor?.(node, region) ?? node.endpoint(),
  };
}

/** A node with the endpoint one worker uses for it. */
export interface RoutedNode extends RouteNode {
  readonly endpoint: Endpoint;
}

/** Every worker's routes at one moment, as data (structured-clone safe). */
export interface RouteTable {
  readonly requireWritable: boolean;
  /** By worker index: only the workers the receiving thread runs. */
  readonly workers: Readonly<Record<number, { readonly writes: readonly RoutedNode[]; readonly reads: readonly RoutedNode[] }>>;
}

/** The live answers of `routes` for some workers, as data. */
export function routeTable(workers: readonly number[], routes: (w: number) => WorkerRoutes<DbNode>): RouteTable {
  let requireWritable = false;
  const table: Record<number, { writes: RoutedNode[]; reads: RoutedNode[] }> = {};
  for (const w of workers) {
    const r = routes(w);
    requireWritable = r.requireWritable;
    const routed = (node: DbNode): RoutedNode => ({ name: node.name, endpoint: r.endpointOf(node) });
    table[w] = { writes: r.writes().map(routed), reads: r.reads().map(routed) };
  }
  return { requireWritable, workers: table };
}

/** Routes read from the latest table a thread received (`current` is replaced on each update). */
export function tableRoutes(current: () => RouteTable, w: number): WorkerRoutes<RoutedNode> {
  return {
    writes: () => current().workers[w]?.writes ?? [],
    reads: () => current().workers[w]?.reads ?? [],
    get requireWritable() {
      return current().requireWritable;
    },
    endpointOf: (node) => node.endpoint,
  };
}
