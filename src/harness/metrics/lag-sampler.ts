import type pg from 'pg';
import type { DbNode, Topology } from '../../topologies/topology.ts';
import type { LagEvent } from '../history/history-types.ts';
import { SamplingClients } from './sampling-clients.ts';

const WRITE_EVERY_MS = 50;
const READ_EVERY_MS = 100;
const TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 5_000;
const REMEMBERED_WRITES = 4_000;

export const HEARTBEAT_DDL = `CREATE TABLE IF NOT EXISTS faultline_heartbeat (id int PRIMARY KEY, seq bigint NOT NULL, at timestamptz NOT NULL)`;

/**
 * Staleness as clients feel it: a writer bumps a sequence on the primary every 50 ms and
 * remembers when each value was acknowledged; readers on each replica read the sequence. A
 * replica showing seq s is missing write s+1, so it is at least (read start − ack time of s+1)
 * behind. Samples go to the history beside replay_lag from pg_stat_replication, to cross-check.
 */
export class LagSampler {
  private timers: NodeJS.Timeout[] = [];
  private seq = 0;
  private readonly acked = new Map<number, number>();
  private readonly clients = new SamplingClients();

  constructor(
    private readonly topology: Topology,
    private readonly sink: (event: LagEvent) => void,
    private readonly now: () => number,
  ) {}

  private config(node: DbNode, localCommit: boolean): () => pg.ClientConfig {
    return () => ({
      ...node.endpoint(),
      application_name: 'faultline-lag',
      // Connecting (a backend fork plus SCRAM) took over a second on a 2-core machine at a load
      // average of 25, and a failed connect is retried from scratch: a 1 s limit left a whole run
      // with one sample. Queries keep the 1 s limit.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: TIMEOUT_MS,
      // The heartbeat must keep beating while a synchronous standby is unreachable.
      ...(localCommit ? { options: '-c synchronous_commit=local' } : {}),
    });
  }

  private write(): Promise<void> {
    return this.clients.run('writer', this.config(this.topology.primary(), true), async (client) => {
      const seq = ++this.seq;
      await client.query(
        'INSERT INTO faultline_heartbeat (id, seq, at) VALUES (1, $1, clock_timestamp()) ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, at = EXCLUDED.at',
        [seq],
      );
      this.acked.set(seq, this.now());
      this.acked.delete(seq - REMEMBERED_WRITES);
    });
  }

  private read(node: DbNode, replayLag: Map<string, number>): Promise<void> {
    return this.clients.run(`reader:${node.name}`, this.config(node, false), async (client) => {
      const start = this.now();
      const { rows } = await client.query<{ seq: string }>('SELECT seq FROM faultline_heartbeat WHERE id = 1');
      const seen = Number(rows[0]?.seq ?? 0);
      const missedAck = this.acked.get(seen + 1);
      const oldest = Math.min(...this.acked.keys());
      const firstMissed = missedAck ?? (seen + 1 < oldest ? this.acked.get(oldest) : undefined);
      const replayLagMs = replayLag.get(node.name);
      this.sink({
        type: 'lag',
        node: node.name,
        time: start,
        stalenessMs: firstMissed === undefined ? 0 : Math.max(0, Math.round((start - firstMissed) * 1000) / 1000),
        ...(replayLagMs === undefined ? {} : { replayLagMs }),
      });
    });
  }

  private async replayLags(): Promise<Map<string, number>> {
    const lags = new Map<string, number>();
    await this.clients.run('stats', this.config(this.topology.primary(), true), async (client) => {
      const { rows } = await client.query<{ name: string; ms: number | null }>(
      `SELECT application_name AS name, extract(epoch FROM replay_lag) * 1000 AS ms FROM pg_stat_replication`,
    );
      for (const row of rows) lags.set(row.name, row.ms === null ? 0 : Math.round(Number(row.ms) * 1000) / 1000);
    });
    return lags;
  }

  start(): void {
    this.timers.push(setInterval(() => void this.write(), WRITE_EVERY_MS));
    this.timers.push(
      setInterval(() => {
        void this.replayLags()
          .catch(() => new Map<string, number>())
          .then((lags) => {
            for (const node of this.topology.nodes) if (node.role === 'replica' && node.state === 'running') void this.read(node, lags);
          });
      }, READ_EVERY_MS),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.clients.close();
  }
}
