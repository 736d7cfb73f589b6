import pg from 'pg';
import type { Endpoint } from '../../../topology.ts';

// Sessions the transaction manager holds to each shard, the way clients reach it (through its
// link proxy when network faults are possible). Idle sessions are reused; a session that saw
// any error is dropped rather than trusted, and a new one is opened next time.

export interface SessionTimeouts {
  readonly connect: number;
  readonly statement: number;
}

export class ParticipantPool implements AsyncDisposable {
  private readonly idle = new Map<string, pg.Client[]>();
  private readonly open = new Set<pg.Client>();
  private readonly broken = new WeakSet<pg.Client>();

  constructor(
    private readonly endpoint: (node: string) => Endpoint,
    private readonly timeouts: SessionTimeouts,
  ) {}

  async acquire(node: string): Promise<pg.Client> {
    const reused = this.idle.get(node)?.pop();
    if (reused) return reused;
    const client = new pg.Client({
      ...this.endpoint(node),
      application_name: 'faultline-2pc',
      connectionTimeoutMillis: this.timeouts.connect,
      statement_timeout: this.timeouts.statement,
      // As a worker's connection: the server's timeout answers first, this one catches a frozen server.
      query_timeout: this.timeouts.statement + 2_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 2_000,
    });
    client.on('error', () => this.broken.add(client));
    client.on('end', () => this.broken.add(client));
    this.open.add(client);
    try {
      await client.connect();
    } catch (error) {
      this.drop(client);
      throw error;
    }
    return client;
  }

  /** Returns a session; `healthy: false` (or an error seen on it) closes it instead. */
  release(node: string, client: pg.Client, healthy: boolean): void {
    if (!healthy || this.broken.has(client)) {
      this.drop(client);
      return;
    }
    const list = this.idle.get(node) ?? [];
    list.push(client);
    this.idle.set(node, list);
  }

  private drop(client: pg.Client): void {
    this.open.delete(client);
    void endQuickly(client);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const all = [...this.open];
    this.open.clear();
    this.idle.clear();
    await Promise.all(all.map(endQuickly));
  }
}

/** end() can hang on a frozen server: a bounded wait, then the socket is dropped. */
async function endQuickly(client: pg.Client): Promise<void> {
  await Promise.race([client.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
