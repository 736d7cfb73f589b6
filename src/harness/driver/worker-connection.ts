import pg from 'pg';
import type { DbNode } from '../../topologies/topology.ts';

/** Makes the client; unit tests pass a fake so the driver can be tested without a server. */
export type ClientFactory = (config: pg.ClientConfig) => pg.Client;
export const realClient: ClientFactory = (config) => new pg.Client(config);

export interface ConnectionTimeouts {
  readonly connect: number;
  readonly statement: number;
}

/**
 * A worker's connection to one node, opened lazily and replaced after any connection-level
 * failure. The node is re-read on every (re)connect, so after a failover writes find the new
 * primary. Server-side statement_timeout plus a client-side query_timeout and TCP keepalives
 * make a dead or partitioned server show up as errors, never as a hung run.
 */
export class WorkerConnection {
  private client: pg.Client | undefined;
  private broken = false;
  private nodeName = '';

  constructor(
    private readonly pickNode: () => DbNode,
    private readonly timeouts: ConnectionTimeouts,
    private readonly applicationName: string,
    private readonly newClient: ClientFactory = realClient,
  ) {}

  get node(): string {
    return this.nodeName || this.pickNode().name;
  }

  async get(): Promise<pg.Client> {
    if (this.client && !this.broken) return this.client;
    await this.discard();
    const node = this.pickNode();
    this.nodeName = node.name;
    const client = this.newClient({
      ...node.endpoint(),
      application_name: this.applicationName,
      connectionTimeoutMillis: this.timeouts.connect,
      statement_timeout: this.timeouts.statement,
      // The server's own timeout answers first; this one catches a server that cannot answer.
      query_timeout: this.timeouts.statement + 2_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 2_000,
    });
    // A killed backend or a reset link emits 'error' outside any query; unhandled it would crash.
    client.on('error', () => (this.broken = true));
    client.on('end', () => (this.broken = true));
    this.broken = false;
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.broken = true;
      throw error;
    }
    return client;
  }

  /** Called after an operation whose error may have left the connection unusable. */
  markBroken(): void {
    this.broken = true;
  }

  async discard(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // end() can hang on a frozen server; a bounded wait, then the socket is dropped.
    await Promise.race([client.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}
