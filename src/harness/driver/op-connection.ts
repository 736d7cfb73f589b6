/**
 * A worker's connection as the load driver uses it, whatever the database: PostgreSQL's
 * WorkerConnection (a pg client) or MongoDB's (a driver client plus session). `get` opens it
 * lazily and may throw (the operation was then never sent).
 */
export interface OpConnection<Client = unknown> {
  /** The node it is (or will be) connected to, for the history. */
  readonly node: string;
  get(): Promise<Client>;
  /** The open client when it can be used as it is (no await on the hot path); undefined: call get(). */
  readonly ready?: Client | undefined;
  /** True once per operation when the server said a commit's replication was not waited for. */
  takeSyncWaitCancelled(): boolean;
  markBroken(): void;
  discard(): Promise<void>;
}

/** A worker's two connections: one for writes (finds the primary), one for reads. */
export interface WorkerConnections {
  readonly writes: OpConnection;
  readonly reads: OpConnection;
}
