import * as hdr from 'hdr-histogram-js';
import type pg from 'pg';
import type { LagEvent } from '../../../harness/history/history-types.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import { LEADER_HEARTBEAT_TABLE, type LeaderHeartbeats } from './leader-heartbeat.ts';
import { directionName, subscriptionName } from './leader-settings.ts';
import { SamplingClients } from '../../../harness/metrics/sampling-clients.ts';
import type { LagSpread } from '../../../harness/results/multi-leader-results.ts';

export type { LagSpread };

const WRITE_EVERY_MS = 50;
const READ_EVERY_MS = 100;
const TIMEOUT_MS = 1_000;

/**
 * Replication lag per direction (A->B: how far B's copy of A's writes is behind): every leader
 * beats its heartbeat row every 50 ms, every leader reads the others' rows every 100 ms. Samples
 * go to the history as lag events named after the direction, beside pg_stat_replication's
 * replay_lag of that subscription's walsender on A, so the replication-lag check and the lag
 * chart show each direction. The harness talks to each leader over its private socket: the
 * measurement must not cross the simulated client links, only replication crosses the ocean.
 */
export class LeaderLagSampler {
  private timers: NodeJS.Timeout[] = [];
  private readonly clients = new SamplingClients();
  private readonly spreads = new Map<string, hdr.Histogram>();

  constructor(
    private readonly leaders: () => readonly PgServerNode[],
    private readonly beats: LeaderHeartbeats,
    private readonly sink: (event: LagEvent) => void,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.timers.push(setInterval(() => this.writeAll(), WRITE_EVERY_MS));
    this.timers.push(setInterval(() => this.readAll(), READ_EVERY_MS));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.clients.close();
  }

  /** Staleness per direction over the run, in ms. */
  summary(): Record<string, LagSpread> {
    const summary: Record<string, LagSpread> = {};
    for (const [direction, histogram] of [...this.spreads].sort(([a], [b]) => a.localeCompare(b))) {
      const ms = (us: number) => Math.round(us) / 1000;
      summary[direction] = {
        samples: histogram.totalCount,
        p50: ms(Math.min(histogram.getValueAtPercentile(50), histogram.maxValue)),
        p99: ms(Math.min(histogram.getValueAtPercentile(99), histogram.maxValue)),
        max: ms(histogram.maxValue),
      };
    }
    return summary;
  }

  private running(): PgServerNode[] {
    return this.leaders().filter((node) => node.state === 'running');
  }

  private writeAll(): void {
    for (const leader of this.running()) {
      void this.once(`writer:${leader.name}`, leader, (client) => this.beats.beat(client, leader.name, this.now));
    }
  }

  private readAll(): void {
    const leaders = this.running();
    const replayLag = new Map<string, number>();
    void Promise.all(leaders.map((provider) => this.once(`stats:${provider.name}`, provider, (client) => this.replayLags(client, provider, replayLag)))).then(() => {
      for (const reader of leaders) void this.once(`reader:${reader.name}`, reader, (client) => this.read(client, reader, leaders, replayLag));
    });
  }

  private async replayLags(client: pg.Client, provider: PgServerNode, into: Map<string, number>): Promise<void> {
    const { rows } = await client.query<{ name: string; ms: number | null }>(
      'SELECT application_name AS name, extract(epoch FROM replay_lag) * 1000 AS ms FROM pg_stat_replication',
    );
    for (const reader of this.leaders()) {
      const row = rows.find((r) => r.name === subscriptionName(reader.name, provider.name));
      // pglogical's feedback leaves replay_lag NULL most of the time: no figure, rather than a false 0.
      if (row && row.ms !== null) into.set(directionName(provider.name, reader.name), Math.round(Number(row.ms) * 1000) / 1000);
    }
  }

  private async read(client: pg.Client, reader: PgServerNode, leaders: readonly PgServerNode[], replayLag: Map<string, number>): Promise<void> {
    const start = this.now();
    const { rows } = await client.query<{ origin: string; seq: string }>(`SELECT origin, seq FROM ${LEADER_HEARTBEAT_TABLE}`);
    const seen = new Map(rows.map((row) => [row.origin, Number(row.seq)]));
    for (const origin of leaders) {
      if (origin === reader) continue;
      const direction = directionName(origin.name, reader.name);
      const stalenessMs = Math.round(this.beats.staleness(origin.name, seen.get(origin.name) ?? 0, start) * 1000) / 1000;
      this.record(direction, stalenessMs);
      const replayLagMs = replayLag.get(direction);
      this.sink({ type: 'lag', node: direction, time: start, stalenessMs, ...(replayLagMs === undefined ? {} : { replayLagMs }) });
    }
  }

  private record(direction: string, ms: number): void {
    let histogram = this.spreads.get(direction);
    if (!histogram) {
      histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
      this.spreads.set(direction, histogram);
    }
    histogram.recordValue(Math.min(Math.round(ms * 1000), 3_600_000_000));
  }

  private once(key: string, node: PgServerNode, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
    const config = () => ({ ...node.adminConfig(), application_name: 'faultline-lag', connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
    return this.clients.run(key, config, work);
  }
}
