// The Node/Topology protocol, as small as Jepsen's DB protocol: a topology brings real servers
// up and down; a node is one server the harness can start, stop, crash, freeze and reach.

export type NodeRole = 'primary' | 'replica';
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
}

export interface TopologyNodeInfo {
  readonly name: string;
  readonly role: NodeRole;
  readonly host: string;
  readonly port: number;
}

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
}
