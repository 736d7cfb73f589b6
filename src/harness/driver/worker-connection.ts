import pg from 'pg';
import type { Endpoint } from '../../topologies/topology.ts';
import type { RouteNode } from './worker-routes.ts';
import type { ConnectGate } from './connect-gate.ts';

/** Makes the client; unit tests pass a fake so the driver can be tested without a server. */
export type ClientFactory = (config: pg.ClientConfig) => pg.Client;
export const realClient: ClientFactory = (config) => new pg.Client(config);

export interface ConnectionTimeouts {
  readonly connect: number;
  readonly statement: number;
}

// PostgreSQL's answer when a commit stops waiting for its synchronous standby (a cancel or
// statement_timeout): the commit happened locally but may never reach a standby, so the client's
// "ok" is really "unknown".
const SYNC_WAIT_CANCELLED = /canceling wait for synchronous replication|might not have been replicated/i;

/**
 * A worker's connection, opened lazily and replaced after any connection-level failure.
 * Candidates are tried in order and, for writes, the first that is not in recovery wins, as
 * libpq's multi-host target_session_attrs=read-write does: after a failover, clients find the
 * new primary by themselves. statement_timeout, a client query_timeout and TCP keepalives make a
 * dead or partitioned server show up as errors, never as a hung run.
 *
 * Until it has connected once, opening waits for the driver's gate (a bounded number of opens at
 * a time, see connect-gate.ts); reconnections after a failure do not, so a fault is met as it
 * would be without the gate. Once the gate closes (the load stopped), discarding cuts the socket
 * at once instead of saying goodbye to the server.
 */
export class WorkerConnection<N extends RouteNode = RouteNode> {
  private client: pg.Client | undefined;
  private broken = false;
  private nodeName = '';
  private syncWaitCancelled = false;
  private connectedOnce = false;

  constructor(
    private readonly candidates: () => readonly N[],
    private readonly timeouts: ConnectionTimeouts,
    private readonly applicationName: string,
    private readonly newClient: ClientFactory = realClient,
    private readonly requireWritable = false,
    /** How this worker reaches a node: a regional worker goes through its region's link. */
    private readonly endpointOf: (node: N) => Endpoint,
    private readonly gate?: ConnectGate,
  ) {}

  get node(): string {
    return this.nodeName || this.candidates()[0]?.name || '';
  }

  get ready(): pg.Client | undefined {
    return this.broken ? undefined : this.client;
  }

  async get(): Promise<pg.Client> {
    if (this.client && !this.broken) return this.client;
    await this.discard();
    let lastError: unknown = new Error('no node to connect to');
    for (const node of this.candidates()) {
      try {
        const client = await this.open(node);
        if (this.requireWritable && (await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]?.r) {
          await this.discard();
          continue;
        }
        return client;
      } catch (error) {
        lastError = error;
        await this.discard();
      }
    }
    throw lastError;
  }

  private async open(node: N): Promise<pg.Client> {
    this.nodeName = node.name;
    const client = this.newClient({
      ...this.endpointOf(node),
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
    client.on('notice', (notice: { message?: string }) => {
      if (SYNC_WAIT_CANCELLED.test(notice.message ?? '')) this.syncWaitCancelled = true;
    });
    this.broken = false;
    this.client = client;
    if (this.gate && !this.connectedOnce) await this.gate.pass(() => client.connect(), () => cut(client));
    else await client.connect();
    this.connectedOnce = true;
    return client;
  }

  /** True once per operation if the server said a commit's replication was not waited for. */
  takeSyncWaitCancelled(): boolean {
    const cancelled = this.syncWaitCancelled;
    this.syncWaitCancelled = false;
    return cancelled;
  }

  /** Called after an operation whose error may have left the connection unusable. */
  markBroken(): void {
    this.broken = true;
  }

  async discard(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (this.gate?.closed) return cut(client);
    // end() can hang on a frozen server; a bounded wait, then the socket is dropped.
    await Promise.race([client.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    cut(client);
  }
}

/** Drops the socket: whatever the client was doing (connecting, a query) fails at once. */
function cut(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
