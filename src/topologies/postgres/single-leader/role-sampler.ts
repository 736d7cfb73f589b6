import pg from 'pg';
import type { HistoryEvent } from '../../../harness/history/history-types.ts';
import type { PgServerNode } from '../pg-server-node.ts';

const SAMPLE_EVERY_MS = 100;

/**
 * Checks, instead of assuming, that there is never more than one writable primary: every 100 ms
 * each node is asked pg_is_in_recovery() over its admin connection (never a faultable link), and
 * the set of writable nodes goes into the history whenever it changes. A paused node keeps its
 * last answer, because it would take writes again the moment it resumed.
 */
export class RoleSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly clients = new Map<string, pg.Client>();
  private readonly writable = new Map<string, boolean>();
  private last = '';
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly nodes: () => readonly PgServerNode[],
    private readonly sink: (event: HistoryEvent) => void,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sample());
    }, SAMPLE_EVERY_MS);
  }

  private async isWritable(node: PgServerNode): Promise<boolean> {
    let client = this.clients.get(node.name);
    try {
      if (!client) {
        client = new pg.Client({ ...node.adminConfig(), connectionTimeoutMillis: 500, query_timeout: 500 });
        client.on('error', () => {});
        this.clients.set(node.name, client);
        await client.connect();
      }
      const { rows } = await client.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
      return rows[0]?.recovery === false;
    } catch {
      this.clients.delete(node.name);
      void client?.end().catch(() => {});
      return false;
    }
  }

  private async sample(): Promise<void> {
    await Promise.all(
      this.nodes().map(async (node) => {
        if (node.state === 'paused') return;
        this.writable.set(node.name, node.state === 'running' && (await this.isWritable(node)));
      }),
    );
    const writable = [...this.writable].filter(([, w]) => w).map(([name]) => name).sort();
    const key = writable.join(',');
    if (key === this.last) return;
    this.last = key;
    this.sink({ type: 'roles', time: this.now(), writable });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await Promise.all([...this.clients.values()].map((client) => client.end().catch(() => {})));
    this.clients.clear();
  }
}
