import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import type { DbNode, Topology, TopologyNodeInfo } from '../../topology.ts';
import type { LocalPgNode } from '../local/local-pg-node.ts';
import type { LocalPgProvider } from '../local/local-pg-provider.ts';
import { baseSettings, conninfo } from '../local/pg-config.ts';
import { scramVerifier } from '../local/scram-verifier.ts';
import { TEMPLATE_USER } from '../local/pg-template.ts';
import { primaryReplicationSettings, slotName } from './replication-settings.ts';

type SingleLeaderSpec = Extract<TopologySpec, { kind: 'pg-single-leader' }>;

/** One primary and N streaming replicas, each with its own physical replication slot. */
export class PgSingleLeader implements Topology {
  readonly kind = 'pg-single-leader';
  private members: LocalPgNode[] = [];

  constructor(
    private readonly spec: SingleLeaderSpec,
    private readonly provider: LocalPgProvider,
  ) {}

  get nodes(): readonly DbNode[] {
    return this.members;
  }

  async start(): Promise<void> {
    const replicaNames = Array.from({ length: this.spec.replicas }, (_, i) => `replica${i + 1}`);
    // Every node is a copy of the same cleanly shut-down template, so the copies are valid
    // standby bases straight away and all of them can be prepared at once.
    const [primary, ...replicas] = await Promise.all([
      this.provider.createNode('primary', 'primary'),
      ...replicaNames.map((name) => this.provider.createNode(name, 'replica')),
    ]);
    this.members = [primary!, ...replicas];
    await primary!.writeConfig(
      baseSettings(primary!.port, primary!.socketDir),
      primaryReplicationSettings(this.spec, replicaNames),
      this.spec.settings,
    );
    await primary!.start();
    await this.preparePrimary(primary!, replicaNames);
    await Promise.all(replicas.map((replica) => this.startReplica(replica, primary!)));
    await this.waitStreaming(primary!, replicaNames);
  }

  private async preparePrimary(primary: LocalPgNode, replicaNames: readonly string[]): Promise<void> {
    const admin = new pg.Client(primary.adminConfig());
    await admin.connect();
    try {
      // No standby is up yet: in sync modes a normal commit here would wait for one forever.
      await admin.query('SET synchronous_commit = local');
      await admin.query(`ALTER ROLE ${TEMPLATE_USER} PASSWORD '${scramVerifier(this.provider.password)}'`);
      for (const name of replicaNames) {
        await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [slotName(name)]);
      }
    } finally {
      await admin.end();
    }
  }

  /** Settings that make a node a standby of `primary`; failover reuses them to repoint replicas. */
  standbySettings(replica: LocalPgNode, primary: DbNode) {
    return {
      primary_conninfo: conninfo({
        host: '127.0.0.1',
        port: primary.port,
        user: TEMPLATE_USER,
        passfile: replica.passfile,
        application_name: replica.name,
        keepalives_idle: 5,
        keepalives_interval: 2,
        keepalives_count: 3,
        connect_timeout: 5,
      }),
      primary_slot_name: slotName(replica.name),
    };
  }

  private async startReplica(replica: LocalPgNode, primary: LocalPgNode): Promise<void> {
    await replica.writeConfig(
      baseSettings(replica.port, replica.socketDir),
      this.standbySettings(replica, primary),
      this.spec.settings,
    );
    await replica.setStandby(true);
    await replica.start();
  }

  /** Ready means every replica streams, and in sync modes is a sync or quorum standby. */
  private async waitStreaming(primary: LocalPgNode, replicaNames: readonly string[], timeoutMs = 60_000): Promise<void> {
    if (replicaNames.length === 0) return;
    const wantSync = this.spec.replication !== 'async';
    const admin = new pg.Client(primary.adminConfig());
    await admin.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await admin.query<{ application_name: string; state: string; sync_state: string }>(
          'SELECT application_name, state, sync_state FROM pg_stat_replication',
        );
        const streaming = new Set(rows.filter((r) => r.state === 'streaming').map((r) => r.application_name));
        const syncOk = !wantSync || rows.some((r) => r.sync_state === 'sync' || r.sync_state === 'quorum');
        if (replicaNames.every((name) => streaming.has(name)) && syncOk) return;
        if (Date.now() > deadline) {
          throw new Error(
            `replicas not streaming after ${timeoutMs} ms: ${JSON.stringify(rows)}; see the replica logs`,
          );
        }
        await sleep(10);
      }
    } finally {
      await admin.end();
    }
  }

  primary(): LocalPgNode {
    const primary = this.members.find((node) => node.role === 'primary');
    if (!primary) throw new Error('the topology has no primary now');
    return primary;
  }

  readNodes(): readonly DbNode[] {
    const replicas = this.members.filter((node) => node.role === 'replica');
    return replicas.length > 0 ? replicas : [this.primary()];
  }

  describe(): TopologyNodeInfo[] {
    return this.members.map((node) => ({ name: node.name, role: node.role, host: '127.0.0.1', port: node.port }));
  }

  async quiesce(timeoutMs: number): Promise<boolean> {
    const replicas = this.members.filter((node) => node.role === 'replica' && node.state === 'running');
    if (replicas.length === 0) return true;
    const admin = new pg.Client(this.primary().adminConfig());
    await admin.connect();
    try {
      const { rows } = await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      const target = rows[0]!.lsn;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const behind = await admin.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_replication
            WHERE application_name = ANY($1) AND (replay_lsn IS NULL OR replay_lsn < $2::pg_lsn)`,
          [replicas.map((node) => node.name), target],
        );
        const connected = await admin.query<{ n: string }>(
          'SELECT count(*) AS n FROM pg_stat_replication WHERE application_name = ANY($1)',
          [replicas.map((node) => node.name)],
        );
        if (behind.rows[0]!.n === '0' && Number(connected.rows[0]!.n) === replicas.length) return true;
        await sleep(20);
      }
      return false;
    } finally {
      await admin.end();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // Replicas first, so that a sync primary is not left waiting on a standby that vanished.
    await Promise.allSettled(this.members.filter((n) => n.role !== 'primary').map((n) => n[Symbol.asyncDispose]()));
    await Promise.allSettled(this.members.filter((n) => n.role === 'primary').map((n) => n[Symbol.asyncDispose]()));
  }
}
