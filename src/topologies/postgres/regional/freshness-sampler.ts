import type pg from 'pg';
import type { PgServerNode } from '../pg-server-node.ts';
import { HeartbeatLedger } from './heartbeat-ledger.ts';
import { CENTRAL_NODE, REGION_HEARTBEAT_TABLE, subscriptionName } from './regional-names.ts';
import { SamplingClients } from '../../../harness/metrics/sampling-clients.ts';
import type { FreshnessSample } from '../../../harness/results/regional-central-results.ts';

export type { FreshnessSample };

const WRITE_EVERY_MS = 50;
const READ_EVERY_MS = 100;
const TIMEOUT_MS = 1_000;

export const centralDirection = (region: string): string => `${region}->${CENTRAL_NODE}`;

export interface FreshnessSources {
  readonly regions: readonly string[];
  readonly primaryOf: (region: string) => PgServerNode;
  readonly central: PgServerNode | undefined;
  readonly replicasOf: (region: string) => readonly PgServerNode[];
}

/**
 * How far behind central's view of each region is (and each regional replica, of its primary):
 * every 50 ms each regional primary bumps its own heartbeat row, which is published to central;
 * every 100 ms central's rows are read. Both go through the nodes' private sockets, so the figure
 * is the replication pipeline's alone: the links the faults cut carry only the replication.
 */
export class FreshnessSampler {
  private timers: NodeJS.Timeout[] = [];
  private readonly ledgers = new Map<string, HeartbeatLedger>();
  private readonly clients = new SamplingClients();

  constructor(
    private readonly sources: FreshnessSources,
    private readonly sink: (sample: FreshnessSample) => void,
    private readonly now: () => number,
  ) {
    for (const region of sources.regions) this.ledgers.set(region, new HeartbeatLedger());
  }

  private config(node: PgServerNode): () => pg.ClientConfig {
    return () => ({ ...node.adminConfig(), application_name: 'faultline-freshness', connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  }

  private write(region: string): Promise<void> {
    const node = this.sources.primaryOf(region);
    if (node.state !== 'running') return Promise.resolve();
    return this.clients.run(`write:${region}`, this.config(node), async (client) => {
      const ledger = this.ledgers.get(region)!;
      const seq = ledger.next();
      await client.query(
        `INSERT INTO ${REGION_HEARTBEAT_TABLE} (region, seq, at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT (region) DO UPDATE SET seq = excluded.seq, at = excluded.at`,
        [region, seq],
      );
      ledger.acknowledge(seq, this.now());
    });
  }

  /** Replay lag the region reports for each of its subscribers (central's subscription, its replicas). */
  private replayLags(region: string, into: Map<string, number>): Promise<void> {
    const node = this.sources.primaryOf(region);
    if (node.state !== 'running') return Promise.resolve();
    return this.clients.run(`stats:${region}`, this.config(node), async (client) => {
      const { rows } = await client.query<{ name: string; ms: number | null }>(
        'SELECT application_name AS name, extract(epoch FROM replay_lag) * 1000 AS ms FROM pg_stat_replication',
      );
      const names = new Map<string, string>([[subscriptionName(region), centralDirection(region)]]);
      for (const replica of this.sources.replicasOf(region)) names.set(replica.name, replica.name);
      for (const row of rows) {
        const key = names.get(row.name);
        if (key) into.set(key, row.ms === null ? 0 : Math.round(Number(row.ms) * 1000) / 1000);
      }
    });
  }

  private emit(key: string, time: number, stalenessMs: number, replayLag: ReadonlyMap<string, number>): void {
    const replayLagMs = replayLag.get(key);
    this.sink({ key, time, stalenessMs, ...(replayLagMs === undefined ? {} : { replayLagMs }) });
  }

  private readCentral(central: PgServerNode, replayLag: ReadonlyMap<string, number>): Promise<void> {
    if (central.state !== 'running') return Promise.resolve();
    return this.clients.run('read:central', this.config(central), async (client) => {
      const start = this.now();
      const { rows } = await client.query<{ region: string; seq: string }>(
        `SELECT region, seq::text AS seq FROM ${REGION_HEARTBEAT_TABLE} WHERE region = ANY($1)`,
        [this.sources.regions],
      );
      const seen = new Map(rows.map((row) => [row.region, Number(row.seq)]));
      for (const [region, ledger] of this.ledgers) {
        this.emit(centralDirection(region), start, ledger.staleness(seen.get(region) ?? 0, start), replayLag);
      }
    });
  }

  private readReplica(region: string, replica: PgServerNode, replayLag: ReadonlyMap<string, number>): Promise<void> {
    return this.clients.run(`read:${replica.name}`, this.config(replica), async (client) => {
      const start = this.now();
      const { rows } = await client.query<{ seq: string }>(`SELECT seq::text AS seq FROM ${REGION_HEARTBEAT_TABLE} WHERE region = $1`, [region]);
      this.emit(replica.name, start, this.ledgers.get(region)!.staleness(Number(rows[0]?.seq ?? 0), start), replayLag);
    });
  }

  private async readAll(): Promise<void> {
    const { regions, central } = this.sources;
    const replayLag = new Map<string, number>();
    await Promise.all(regions.map((region) => this.replayLags(region, replayLag)));
    if (central) void this.readCentral(central, replayLag);
    for (const region of regions) {
      for (const replica of this.sources.replicasOf(region)) if (replica.state === 'running') void this.readReplica(region, replica, replayLag);
    }
  }

  start(): void {
    const { regions } = this.sources;
    this.timers.push(setInterval(() => regions.forEach((region) => void this.write(region)), WRITE_EVERY_MS));
    this.timers.push(setInterval(() => void this.readAll(), READ_EVERY_MS));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.clients.close();
  }
}
