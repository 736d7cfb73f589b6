import pg from 'pg';
import type { PgServerNode } from '../pg-server-node.ts';

const PROBE_EVERY_MS = 200;
const PROBE_TIMEOUT_MS = 1_000;

/**
 * Automatic failover, as Patroni-like managers do it: the primary is probed the way clients
 * reach it (through its client link, so a partition counts), and when no probe has succeeded for
 * detectAfter, the topology fails over. One persistent connection: a fresh SCRAM handshake five
 * times a second would cost real CPU.
 */
export class FailoverMonitor {
  private timer: NodeJS.Timeout | undefined;
  private client: pg.Client | undefined;
  private lastOk: number;
  private busy = false;

  constructor(
    private readonly primary: () => PgServerNode,
    private readonly detectAfterMs: number,
    private readonly failover: (reason: string) => Promise<void>,
    private readonly now: () => number,
  ) {
    this.lastOk = now();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), PROBE_EVERY_MS);
  }

  private async probe(): Promise<boolean> {
    try {
      if (!this.client) {
        const client = new pg.Client({
          ...this.primary().endpoint(),
          application_name: 'faultline-monitor',
          connectionTimeoutMillis: PROBE_TIMEOUT_MS,
          query_timeout: PROBE_TIMEOUT_MS,
        });
        client.on('error', () => {});
        this.client = client;
        await client.connect();
      }
      await this.client.query('SELECT 1');
      return true;
    } catch {
      this.drop();
      return false;
    }
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    (client as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream?.destroy();
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (await this.probe()) {
        this.lastOk = this.now();
        return;
      }
      const down = this.now() - this.lastOk;
      if (down < this.detectAfterMs) return;
      await this.failover(`automatic: ${this.primary().name} unreachable for ${Math.round(down)} ms`).catch(() => {});
      this.drop();
      this.lastOk = this.now();
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.drop();
  }
}
