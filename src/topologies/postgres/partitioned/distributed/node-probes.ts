import pg from 'pg';
import type { PgServerNode } from '../../pg-server-node.ts';

// The harness's own look at a node while a fault is aimed (is the coordinator waiting on a shard,
// has a shard committed its part yet): one session per node over its private socket, reopened
// after the node dies. Never part of what is measured.

export class NodeProbes implements AsyncDisposable {
  private readonly clients = new Map<string, Promise<pg.Client>>();

  constructor(private readonly node: (name: string) => PgServerNode) {}

  get(name: string): Promise<pg.Client> {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const opening = (async () => {
      const client = new pg.Client({
        ...this.node(name).adminConfig(),
        application_name: 'faultline-probe',
        connectionTimeoutMillis: 2_000,
        statement_timeout: 2_000,
        query_timeout: 3_000,
      });
      const forget = () => {
        if (this.clients.get(name) === opening) this.clients.delete(name);
      };
      client.on('error', forget);
      client.on('end', forget);
      await client.connect();
      return client;
    })();
    opening.catch(() => this.clients.delete(name));
    this.clients.set(name, opening);
    return opening;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((p) => p.then((c) => c.end(), () => undefined).catch(() => undefined)));
  }
}
