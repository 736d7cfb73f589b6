import type pg from 'pg';
import { SamplingClients } from '../../../harness/metrics/sampling-clients.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import { HeartbeatLedger } from '../regional/heartbeat-ledger.ts';
import type { FreshnessSample } from '../regional/freshness-sampler.ts';
import { COPY_HEARTBEAT_TABLE, referenceSubscription } from './reference-replication.ts';

// How far behind each copy pg-partitioned keeps is, compared with its own source only: each
// shard's reference tables with the coordinator (`coordinator->shard1`), each shard replica with
// its shard primary (`shard1-r1`). Every 50 ms each source bumps its heartbeat row; every 100 ms
// each copy's row is read. Through the nodes' private sockets: the figure is the replication
// pipeline's alone (the links the faults cut carry only the replication).

const WRITE_EVERY_MS = 50;
const READ_EVERY_MS = 100;
const TIMEOUT_MS = 1_000;

/** A source and the copies that follow it, each with the key its samples carry. */
export interface CopyGroup {
  readonly source: PgServerNode;
  readonly copies: readonly { readonly node: PgServerNode; readonly key: string }[];
}

export const referenceDirection = (coordinator: string, shard: string): string => `${coordinator}->${shard}`;

export class CopyFreshnessSampler {
  private timers: NodeJS.Timeout[] = [];
  private readonly ledgers = new Map<string, HeartbeatLedger>();
  private readonly clients = new SamplingClients();

  constructor(
    private readonly groups: () => readonly CopyGroup[],
    private readonly sink: (sample: FreshnessSample) => void,
    private readonly now: () => number,
  ) {}

  private config(node: PgServerNode): () => pg.ClientConfig {
    return () => ({ ...node.adminConfig(), application_name: 'faultline-freshness', connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  }

  private ledger(source: string): HeartbeatLedger {
    let ledger = this.ledgers.get(source);
    if (!ledger) this.ledgers.set(source, (ledger = new HeartbeatLedger()));
    return ledger;
  }

  private write(source: PgServerNode): Promise<void> {
    if (source.state !== 'running') return Promise.resolve();
    return this.clients.run(`write:${source.name}`, this.config(source), async (client) => {
      const ledger = this.ledger(source.name);
      const seq = ledger.next();
      await client.query(
        `INSERT INTO ${COPY_HEARTBEAT_TABLE} (source, seq, at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT (source) DO UPDATE SET seq = excluded.seq, at = excluded.at`,
        [source.name, seq],
      );
      ledger.acknowledge(seq, this.now());
    });
  }

  /** What the source reports for each follower: a replica by its name, a subscription by its own. */
  private replayLags(group: CopyGroup, into: Map<string, number>): Promise<void> {
    if (group.source.state !== 'running') return Promise.resolve();
    return this.clients.run(`stats:${group.source.name}`, this.config(group.source), async (client) => {
      const { rows } = await client.query<{ name: string; ms: number | null }>(
        'SELECT application_name AS name, extract(epoch FROM replay_lag) * 1000 AS ms FROM pg_stat_replication',
      );
      const keys = new Map<string, string>();
      for (const copy of group.copies) {
        keys.set(copy.node.name, copy.key);
        keys.set(referenceSubscription(copy.node.name), copy.key);
      }
      for (const row of rows) {
        const key = keys.get(row.name);
        if (key) into.set(key, row.ms === null ? 0 : Math.round(Number(row.ms) * 1000) / 1000);
      }
    });
  }

  private read(source: string, copy: CopyGroup['copies'][number], replayLag: ReadonlyMap<string, number>): Promise<void> {
    if (copy.node.state !== 'running') return Promise.resolve();
    return this.clients.run(`read:${copy.key}`, this.config(copy.node), async (client) => {
      const start = this.now();
      const { rows } = await client.query<{ seq: string }>(`SELECT seq::text AS seq FROM ${COPY_HEARTBEAT_TABLE} WHERE source = $1`, [source]);
      const replayLagMs = replayLag.get(copy.key);
      const stalenessMs = this.ledger(source).staleness(Number(rows[0]?.seq ?? 0), start);
      this.sink({ key: copy.key, time: start, stalenessMs, ...(replayLagMs === undefined ? {} : { replayLagMs }) });
    });
  }

  private async readAll(): Promise<void> {
    const groups = this.groups();
    const replayLag = new Map<string, number>();
    await Promise.all(groups.map((group) => this.replayLags(group, replayLag)));
    for (const group of groups) for (const copy of group.copies) void this.read(group.source.name, copy, replayLag);
  }

  start(): void {
    this.timers.push(setInterval(() => this.groups().forEach((group) => void this.write(group.source)), WRITE_EVERY_MS));
    this.timers.push(setInterval(() => void this.readAll(), READ_EVERY_MS));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.clients.close();
  }
}
