import pg from 'pg';
import type { PgServerNode } from '../pg-server-node.ts';

const PROBE_EVERY_MS = 200;
/** At least this long for a probe; longer with a patient detector (detectAfter / 2): a loaded machine answers slowly, not never. */
const MIN_PROBE_TIMEOUT_MS = 1_000;
/**
 * A probe that fails this long after its own timeout failed because the harness's event loop
 * was stalled (rendering a report, a loaded machine), not because the server was: its answer was
 * waiting behind the timer. Such a probe proves nothing; measured: report.html rendering blocked
 * the loop for seconds and made the monitor fail over a healthy primary.
 */
const STALL_SLACK_MS = 250;
/** Conclusive failed probes in a row before a failover: one stall that slipped under the slack is not enough. */
const FAILED_PROBES = 2;

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
  private failures = 0;
  private readonly probeTimeoutMs: number;

  constructor(
    private readonly primary: () => PgServerNode,
    private readonly detectAfterMs: number,
    private readonly failover: (reason: string) => Promise<void>,
    private readonly now: () => number,
  ) {
    this.lastOk = now();
    this.probeTimeoutMs = Math.max(MIN_PROBE_TIMEOUT_MS, Math.floor(detectAfterMs / 2));
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
          connectionTimeoutMillis: this.probeTimeoutMs,
          query_timeout: this.probeTimeoutMs,
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
      const started = this.now();
      if (await this.probe()) {
        this.lastOk = this.now();
        this.failures = 0;
        return;
      }
      if (this.now() - started > this.probeTimeoutMs + STALL_SLACK_MS) return;
      this.failures++;
      const down = this.now() - this.lastOk;
      if (down < this.detectAfterMs || this.failures < FAILED_PROBES) return;
      await this.failover(`automatic: ${this.primary().name} unreachable for ${Math.round(down)} ms`).catch(() => {});
      this.drop();
      this.lastOk = this.now();
      this.failures = 0;
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.drop();
  }
}
