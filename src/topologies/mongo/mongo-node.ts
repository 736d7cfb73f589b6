import type { DbNode, Endpoint, NodeRole } from '../topology.ts';

// A MongoDB server the harness runs: a mongod (replica-set member, config server, shard member)
// or a mongos router. The same node API as PostgreSQL's local nodes, plus what MongoDB needs:
// the address its peers use (replica-set configs name members by one host:port) and a
// connection for the harness that no fault ever touches.

export type MongoProcessKind = 'mongod' | 'mongos';

export interface MongoNode extends DbNode {
  readonly process: MongoProcessKind;
  /** Which replica set it belongs to (undefined for mongos). */
  readonly replicaSet: string | undefined;
  /** host:port that other members and routers use to reach it: in replica-set configs and --configdb. */
  memberHost(): string;
  /** The harness's own address for it (admin work, role and lag sampling): never through a faulted link. */
  adminEndpoint(): Endpoint;
  /** Failovers change who is primary; the topology keeps roles true. */
  role: NodeRole;
}

/** Runs the first commands of a fresh replica set, before any user exists (MongoDB's localhost exception). */
export type Bootstrapper = (node: MongoNode, command: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** What creates MongoDB nodes: local processes or containers. Topologies do not care which. */
export interface MongoProvider extends AsyncDisposable {
  readonly kind: 'local' | 'containers';
  readonly password: string;
  /** "MongoDB 8.0.4" once a node has answered; the image or binary version until then. */
  readonly version: string;
  readonly nodes: readonly MongoNode[];
  createMongod(name: string, replicaSet: string, role: 'shardsvr' | 'configsvr' | 'replica', settings: Readonly<Record<string, string | number | boolean>>): Promise<MongoNode>;
  createMongos(name: string, configDb: string): Promise<MongoNode>;
  readonly bootstrap: Bootstrapper;
}

export const MONGO_USER = 'faultline';
export const MONGO_DATABASE = 'faultline';
