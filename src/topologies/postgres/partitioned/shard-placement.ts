import pg from 'pg';
import type { ShardLoadEvent } from '../../../harness/history/history-types.ts';
import type { ShardLoadPoint } from '../../../harness/results/results-types.ts';
import type { OperationName } from '../../../harness/scenario/schema.ts';
import type { Workload } from '../../../harness/workload/workload-types.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import type { PlacementReport } from '../../faultable-topology.ts';
import type { PartitionedLayoutResults } from '../../../harness/results/partitioned-layout-results.ts';
import { delta, readCounters, settledCounters, skewOf, touched, type ShardCounters } from './shard-counters.ts';
import { withPgClient } from '../with-pg-client.ts';

// Where the load lands: a baseline of every shard's counters after the dataset is in, a
// sample a second during the run (history events + a series for the heatmap), the totals over
// the run, and each operation's fan-out measured by running it once on an otherwise idle system.

export type { PlacementReport };

const SAMPLE_EVERY_MS = 1_000;
/** Generator coordinates far beyond any run's workers, so probe checkouts get order ids no run used. */
const PROBE_WORKERS = 1_000_000;
/** Draws allowed to find one of each operation in the mix (the rarest default weight is 1 in 95). */
const PROBE_DRAWS = 20_000;

export class ShardPlacement {
  private readonly clients = new Map<string, pg.Client>();
  private baseline: ShardCounters[] | undefined;
  private previous: ShardCounters[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private readonly series: ShardLoadPoint[] = [];

  constructor(
    private readonly shards: () => readonly PgServerNode[],
    private readonly coordinator: () => PgServerNode,
    readonly tables: readonly string[],
    private readonly layout: () => Promise<PartitionedLayoutResults | undefined> = async () => undefined,
  ) {}

  /** Statistics go through each shard's private socket: the control plane is never faulted. */
  private async client(node: PgServerNode): Promise<pg.Client> {
    const existing = this.clients.get(node.name);
    if (existing) return existing;
    // A shard that is stopped, or killed while stopped, can leave a statistics query without an
    // answer: a read timeout keeps it from holding the sampler (and the end of the run) forever.
    const client = new pg.Client({
      ...node.adminConfig(),
      application_name: 'faultline-shard-stats',
      connectionTimeoutMillis: 2_000,
      query_timeout: 5_000,
    });
    const forget = () => {
      if (this.clients.get(node.name) === client) this.clients.delete(node.name);
    };
    client.on('error', forget);
    client.on('end', forget);
    this.clients.set(node.name, client);
    try {
      await client.connect();
    } catch (error) {
      forget();
      throw error;
    }
    return client;
  }

  private readAll(): Promise<ShardCounters[]> {
    return Promise.all(
      this.shards().map(async (node) => {
        const client = await this.client(node);
        try {
          return await readCounters(client, this.tables);
        } catch (error) {
          // After a read timeout the session may still have a query outstanding: start afresh.
          if (this.clients.get(node.name) === client) this.clients.delete(node.name);
          (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
          throw error;
        }
      }),
    );
  }

  async markBaseline(): Promise<void> {
    this.baseline = await settledCounters(() => this.readAll());
    this.previous = this.baseline;
  }

  /** Per-second deltas; `runStart` (run clock) puts the series on the measured run's time axis. */
  startSampling(sink: (event: ShardLoadEvent) => void, now: () => number, runStart: number): void {
    this.timer = setInterval(() => {
      if (this.sampling) return; // a slow sample is skipped, not queued
      this.sampling = this.sample(sink, now, runStart)
        .catch(() => {})
        .finally(() => (this.sampling = undefined));
    }, SAMPLE_EVERY_MS);
  }

  private async sample(sink: (event: ShardLoadEvent) => void, now: () => number, runStart: number): Promise<void> {
    const time = now();
    const current = await this.readAll();
    const previous = this.previous ?? current;
    this.previous = current;
    this.shards().forEach((node, i) => {
      const d = delta(current[i]!, previous[i]!);
      sink({ type: 'shard-load', time, shard: node.name, reads: d.reads, inserts: d.inserts, updates: d.updates });
      const seconds = Math.round((time - runStart) / 100) / 10;
      this.series.push({ time: seconds, shard: node.name, reads: d.reads, inserts: d.inserts, updates: d.updates });
    });
  }

  async stopSampling(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
  }

  /** Totals since the baseline, read once the shards' statistics have settled. */
  async report(): Promise<PlacementReport> {
    const after = await settledCounters(() => this.readAll());
    const before = this.baseline ?? after;
    const shards = this.shards().map((node, i) => {
      const d = delta(after[i]!, before[i]!);
      return { name: node.name, rows: d.rows, bytes: d.bytes, reads: d.reads, inserts: d.inserts, updates: d.updates };
    });
    const layout = await this.layout();
    return { shards, skew: skewOf(shards), series: this.series, ...(layout ? { layout } : {}) };
  }

  /**
   * Fan-out: each operation of `ops` runs once, alone, on a fresh coordinator session; the shards
   * whose counters moved are the ones it touched. Run after the checks: the probes write.
   */
  async measureFanout(workload: Workload, ops: readonly OperationName[]): Promise<Partial<Record<OperationName, number>>> {
    const wanted = new Set(ops);
    const generator = workload.generator(PROBE_WORKERS - 1, PROBE_WORKERS);
    const fanout: Partial<Record<OperationName, number>> = {};
    for (let draws = 0; draws < PROBE_DRAWS && wanted.size > 0; draws++) {
      const op = generator.next();
      if (!wanted.delete(op.f)) continue;
      const before = await settledCounters(() => this.readAll());
      // Ending the session closes its FDW connections: the shard backends exit and publish their counters.
      const config = { ...this.coordinator().endpoint(), application_name: 'faultline-fanout', connectionTimeoutMillis: 5_000 };
      await withPgClient(config, (client) => workload.execute(op, client));
      const after = await settledCounters(() => this.readAll());
      fanout[op.f] = after.filter((counters, i) => touched(delta(counters, before[i]!))).length;
    }
    return fanout;
  }

  async close(): Promise<void> {
    await this.stopSampling();
    await Promise.all([...this.clients.values()].map((c) => c.end().catch(() => {})));
    this.clients.clear();
  }
}
