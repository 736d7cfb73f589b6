import type { DbNode, Endpoint } from '../../topologies/topology.ts';
import type { WorkloadSpec } from '../scenario/schema.ts';
import type { ConnectGate } from './connect-gate.ts';
import type { OpConnection, WorkerConnections } from './op-connection.ts';
import { type ClientFactory, WorkerConnection } from './worker-connection.ts';
import { type RouteNode, type RoutingTopology, topologyRoutes, type WorkerRoutes } from './worker-routes.ts';

// A worker's write and read connections, as the load driver opens them: a dialect's own
// (MongoDB's openConnections), or PostgreSQL WorkerConnections routed from the topology (or, in a
// load thread, from the routes it was sent), opened through the driver's connect gate.

export interface ConnectionSources {
  readonly spec: WorkloadSpec;
  readonly newClient?: ClientFactory | undefined;
  readonly openConnections?: ((worker: number) => WorkerConnections) | undefined;
  readonly routes?: ((w: number, region: string | undefined) => WorkerRoutes<RouteNode>) | undefined;
  readonly topology?: RoutingTopology | undefined;
  readonly endpointFor?: ((node: DbNode, region: string | undefined) => Endpoint) | undefined;
}

/** Worker w's connections (opened by their first get()); `region`: the worker's client region. */
export function workerConnections(sources: ConnectionSources, w: number, region: string | undefined, gate: ConnectGate): WorkerConnections {
  const { spec, newClient } = sources;
  const custom = sources.openConnections?.(w);
  if (custom) return custom;
  const routes = routesOf(sources, w, region);
  const endpointOf = (n: RouteNode) => routes.endpointOf(n);
  const writes: OpConnection = new WorkerConnection(() => routes.writes(), spec.timeouts, `faultline-w${w}`, newClient, routes.requireWritable, endpointOf, gate);
  const reads: OpConnection = new WorkerConnection(() => routes.reads(), spec.timeouts, `faultline-r${w}`, newClient, false, endpointOf, gate);
  return { writes, reads };
}

function routesOf(sources: ConnectionSources, w: number, region: string | undefined): WorkerRoutes<RouteNode> {
  const { routes, topology, endpointFor } = sources;
  if (routes) return routes(w, region);
  if (!topology) throw new Error('load driver: neither a topology nor routes to reach the servers');
  return topologyRoutes(topology, w, region, endpointFor) as WorkerRoutes<RouteNode>;
}
