import type { CopyComparison } from '../harness/checker/checker-types.ts';
import type { NodeRole, TopologyNodeInfo } from '../harness/results/topology-record.ts';

// The Node/Topology protocol, as small as Jepsen's DB protocol: a topology brings real servers
// up and down; a node is one server the harness can start, stop, crash, freeze and reach.

export type { NodeRole, TopologyNodeInfo };
export type NodeState = 'created' | 'running' | 'stopped' | 'killed' | 'paused';

/** How a client reaches a node. The password is per run and must never be logged or reported. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface DbNode extends AsyncDisposable {
  readonly name: string;
  readonly role: NodeRole;
  readonly state: NodeState;
  readonly port: number;
  readonly logPath: string;
  /** The region the node runs in, when the scenario declares regions. */
  readonly region?: string;
  endpoint(): Endpoint;
  start(): Promise<void>;
  /** Graceful shutdown (fast mode): clients are disconnected, everything is flushed. */
  stop(): Promise<void>;
  /** SIGKILL to the server and every process of it, as a crash would. */
  kill(): Promise<void>;
  /** SIGSTOP to every process of the server: it freezes, connections hang. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  restart(): Promise<void>;
  /** Where the server's CPU use can be read (the harness's saturation sampler); undefined before it started. */
  cpuSource?(): CpuSource | undefined;
}

/** A local server's process tree (its leader's pid: the postmaster, mongod), or a container (Engine API stats). */
export type CpuSource = { readonly kind: 'process-tree'; readonly pid: number } | { readonly kind: 'container'; readonly id: string };

export interface Topology extends AsyncDisposable {
  readonly kind: string;
  readonly nodes: readonly DbNode[];
  /** Provision every node and return once the topology is ready to serve (replicas streaming). */
  start(): Promise<void>;
  /** Where writes go now. */
  primary(): DbNode;
  /** Where reads marked `readFrom: replicas` go; the primary when there are none. */
  readNodes(): readonly DbNode[];
  describe(): TopologyNodeInfo[];
  /** Wait until replicas have applied everything the primary wrote (bounded); false on timeout. */
  quiesce(timeoutMs: number): Promise<boolean>;
  /**
   * Regional topologies: where a client worker of `region` sends writes (candidates in order) and
   * reads. Without them every worker uses primary() and readNodes().
   */
  writeNodesFor?(region: string): readonly DbNode[];
  /**
   * Where writes may go when the primary does not answer, in order; the primary and then every
   * other node when omitted (a promoted replica is found that way). A topology whose other nodes
   * can never take the primary's place (shards) names only the primary.
   */
  writeCandidates?(): readonly DbNode[];
  readNodesFor?(region: string): readonly DbNode[];
  /** Nodes holding different rows by design: which copies convergence compares with which source, on which tables. */
  copyComparisons?(): readonly CopyComparison[];
}
