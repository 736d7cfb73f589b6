import pg from 'pg';

/**
 * The connections of a background sampler (lag, freshness): one per key, opened lazily, one
 * piece of work per key at a time (a tick that finds the last one still running is skipped, so
 * a frozen node never piles up queries), and any failure drops the connection: a down node is
 * normal during a fault, and the next tick tries again.
 */
export class SamplingClients {
  private readonly clients = new Map<string, pg.Client>();
  private readonly busy = new Set<string>();

  async run(key: string, config: () => pg.ClientConfig, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
    if (this.busy.has(key)) return;
    this.busy.add(key);
    try {
      await work(await this.client(key, config));
    } catch {
      const client = this.clients.get(key);
      this.clients.delete(key);
      (client as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream?.destroy();
    } finally {
      this.busy.delete(key);
    }
  }

  /** Waits for the work in flight, then closes every connection. */
  async close(): Promise<void> {
    while (this.busy.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([...this.clients.values()].map((client) => client.end().catch(() => {})));
    this.clients.clear();
  }

  private async client(key: string, config: () => pg.ClientConfig): Promise<pg.Client> {
    const existing = this.clients.get(key);
    if (existing) return existing;
    const client = new pg.Client(config());
    client.on('error', () => this.clients.delete(key));
    this.clients.set(key, client);
    await client.connect();
    return client;
  }
}
