import pg from 'pg';
import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { CopyComparison } from '../../../harness/checker/checker-types.ts';
import type { LagEvent } from '../../../harness/history/history-types.ts';
import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import type { PgServerNode, PgServerProvider } from '../pg-server-node.ts';
import type { PgSettings } from '../local/pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';
import { scramVerifier } from '../../credentials/scram-verifier.ts';
import { withAdmin } from '../single-leader/replication-admin.ts';
import type { CopyFreshnessSampler } from './copy-freshness-sampler.ts';
import { DistributedCommit } from './distributed/distributed-commit.ts';
import { moveTablesToShards } from './move-to-shards.ts';
import {
  copiesCaughtUp,
  COPY_HEARTBEAT_DDL,
  publisherSettings,
  publishReference,
  subscribeShard,
  SUBSCRIBER_SETTINGS,
  waitCopied,
} from './reference-replication.ts';
import { ShardPlacement } from './shard-placement.ts';
import { ShardCopies } from './shard-copies.ts';
import { shardReplicaName, startShardReplicas } from './shard-replicas.ts';
import type { VerticalLayout } from './vertical-ddl.ts';
import { describeNodes, memberNamed, snapshotsOf } from '../../node-members.ts';
import { EngineError } from '../../../harness/output/errors.ts';

export type PartitionedSpec = Extract<TopologySpec, { kind: 'pg-partitioned' }>;

export const COORDINATOR = 'coordinator';
export const shardName = (i: number): string => `shard${i + 1}`;

/**
 * A coordinator and K shards, each a standalone server, optionally each with streaming
 * replicas. Clients only ever talk to the coordinator; partitioned tables live on the shards as
 * postgres_fdw foreign partitions, vertically split tables as one foreign table per column group
 * behind a view, reference tables on the coordinator with a logical-replication copy on every
 * shard, the other tables on the coordinator. The coordinator reaches each shard through the
 * `coordinator->shardN` link, so network faults can cut a shard off.
 */
export class PgPartitioned<N extends PgServerNode = PgServerNode> implements Topology, FaultSurface {
  readonly kind = 'pg-partitioned';
  private members: N[] = [];
  private network: TopologyNetwork | undefined;
  private vertical: readonly VerticalLayout[] = [];
  private readonly copies: ShardCopies;
  readonly placement: ShardPlacement;
  /** How checkouts spanning several nodes commit (plain FDW or the harness's two-phase commit). */
  readonly distributedCommit: DistributedCommit;

  constructor(
    private readonly spec: PartitionedSpec,
    private readonly provider: PgServerProvider<N>,
    private readonly makeNetwork: (nodes: readonly N[]) => Promise<TopologyNetwork>,
  ) {
    const placed = [...Object.keys(spec.tables), ...Object.keys(spec.vertical)];
    this.copies = new ShardCopies({
      coordinator: () => this.primary(),
      shards: () => this.shards(),
      replicasOf: (shard) => this.replicasOf(shard as N),
      reference: spec.reference,
      partitioned: Object.keys(spec.tables),
      vertical: () => this.vertical,
    });
    this.placement = new ShardPlacement(() => this.shards(), () => this.primary(), placed, () => this.copies.report());
    this.distributedCommit = new DistributedCommit(spec.distributedCommit, {
      coordinator: COORDINATOR,
      node: (name) => this.node(name),
      // Participants are the writable nodes: a shard replica never holds a prepared transaction of its own.
      nodes: () => this.primaries(),
      clientEndpoint: (name) => this.node(name).endpoint(),
      vertical: () => this.vertical,
    });
  }

  get nodes(): readonly N[] {
    return this.members;
  }

  private get net(): TopologyNetwork {
    if (!this.network) throw new Error('the topology has not been started');
    return this.network;
  }

  get linkControl() {
    return this.net.linkControl;
  }

  /** Two-phase commit holds up to one prepared transaction per client worker on every node (and its standbys). */
  private get ownSettings(): PgSettings {
    return this.spec.distributedCommit === '2pc' ? { max_prepared_transactions: 200 } : {};
  }

  /** A shard's, and so its replicas' (a standby needs at least its primary's worker and prepared-transaction room). */
  private get shardSettings(): PgSettings {
    return { ...this.ownSettings, ...(this.spec.reference.length > 0 ? SUBSCRIBER_SETTINGS : {}) };
  }

  async start(): Promise<void> {
    const names = Array.from({ length: this.spec.shards }, (_, i) => shardName(i));
    const replicaNames = names.flatMap((shard) => Array.from({ length: this.spec.replicasPerShard }, (_, j) => shardReplicaName(shard, j)));
    this.members = await Promise.all([
      ...[COORDINATOR, ...names].map((name) => this.provider.createNode(name, 'primary')),
      // Local: copies of the same template as their shard, valid standby bases straight away;
      // containers take a base backup of their shard at their first boot.
      ...replicaNames.map((name) => this.provider.createNode(name, 'replica')),
    ]);
    this.network = await this.makeNetwork(this.members);
    for (const node of this.members) node.clientPort = this.net.portOf('clients', node.name);
    const publishing = this.spec.reference.length > 0 ? publisherSettings(this.spec.shards) : {};
    await Promise.all(
      this.primaries().map(async (node) => {
        const own = node.name === COORDINATOR ? { ...this.ownSettings, ...publishing } : this.shardSettings;
        await node.writeConfig(node.serverSettings(), own, this.spec.settings);
        await node.start();
        // FDW connections, subscriptions and replicas log in over TCP with the run's password, like clients.
        await withAdmin(node, (admin) => admin.query(`ALTER ROLE ${TEMPLATE_USER} PASSWORD '${scramVerifier(this.provider.password)}'`));
      }),
    );
    const portOf = (from: string, to: string) => this.net.portOf(from, to);
    const hostOf = (from: string, to: string) => this.net.hostOf?.(from, to);
    await Promise.all(
      this.shards().map((shard) => startShardReplicas(shard, this.replicasOf(shard), portOf, hostOf, this.shardSettings, this.spec.settings)),
    );
  }

  /** Run after the workload's DDL: moves the scenario's tables to the shards. */
  async afterSchema(): Promise<void> {
    const shards = this.shards();
    const servers = shards.map((node) => ({
      name: node.name,
      port: this.net.portOf(COORDINATOR, node.name),
      database: TEMPLATE_DATABASE,
      ...(this.net.hostOf ? { host: this.net.hostOf(COORDINATOR, node.name) } : {}),
    }));
    const clients = await Promise.all(shards.map((shard) => connectAdmin(shard)));
    try {
      const moved = await withAdmin(
        this.primary(),
        (coordinator) =>
          moveTablesToShards(coordinator, clients, {
            tables: this.spec.tables,
            reference: this.spec.reference,
            vertical: this.spec.vertical,
            servers,
            batchSize: this.spec.batchSize,
            user: TEMPLATE_USER,
            password: this.provider.password,
          }),
        30_000,
      );
      this.vertical = moved.vertical;
      if (this.copies.any) await Promise.all([this.primary(), ...shards].map((node) => withAdmin(node, (admin) => admin.query(COPY_HEARTBEAT_DDL))));
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    }
    await withAdmin(this.primary(), (coordinator) => this.distributedCommit.afterSchema(coordinator));
  }

  /** Once the dataset is on the coordinator: every shard subscribes to the reference tables and copies them. */
  async afterLoad(): Promise<void> {
    if (this.spec.reference.length === 0) return;
    const shards = this.shards();
    await publishReference(this.primary(), this.spec.reference);
    // One shard at a time: the shards are clones (one system identifier, the same subscription
    // OID), so two shards' table syncs at once would name the same temporary slot on the coordinator.
    for (const shard of shards) {
      await subscribeShard(shard, this.net.portOf(shard.name, COORDINATOR), this.net.hostOf?.(shard.name, COORDINATOR));
      if (!(await waitCopied(shard, 60_000))) throw new EngineError(`${shard.name} did not copy the reference tables within a minute; see its log`);
    }
    if (!(await copiesCaughtUp(this.primary(), shards, 30_000))) throw new EngineError(`the shards' reference copies did not catch up within 30 s; see the shard logs`);
  }

  primary(): N {
    return this.node(COORDINATOR);
  }

  /** Shard primaries only: replicas never count as shards (placement, skew, fan-out, routing). */
  shards(): N[] {
    return this.members.filter((node) => node.name !== COORDINATOR && node.role === 'primary');
  }

  private primaries(): N[] {
    return this.members.filter((node) => node.role === 'primary');
  }

  private replicasOf(shard: N): N[] {
    return this.members.filter((node) => node.role === 'replica' && node.name.startsWith(`${shard.name}-r`));
  }

  /**
   * The coordinator, whatever `readFrom` says: its postgres_fdw servers point at the shard
   * primaries, so a read through it never reaches a shard replica.
   */
  readNodes(): readonly N[] {
    return [this.primary()];
  }

  /** A shard is never a stand-in for the coordinator: while it is down, writes fail. */
  writeCandidates(): readonly N[] {
    return [this.primary()];
  }

  describe(): TopologyNodeInfo[] {
    return describeNodes(this.members);
  }

  /** Reference copies caught up with the coordinator, then shard replicas with their shard (bounded). */
  quiesce(timeoutMs: number): Promise<boolean> {
    return this.copies.caughtUp(timeoutMs);
  }

  /** For convergence: each shard's reference tables against the coordinator's, each replica against its shard. */
  copyComparisons(): CopyComparison[] {
    return this.copies.comparisons();
  }

  /** Replaces the run's heartbeat sampler (coordinator -> replicas, which would compare a shard's replica with the coordinator). */
  lagSampler(sink: (event: LagEvent) => void, now: () => number): CopyFreshnessSampler {
    return this.copies.sampler(sink, now);
  }

  /** No failover monitor or role sampler: shard replicas are never promoted (see failover). */
  observe(): void {}

  // FaultSurface

  nodesNow(): NodeSnapshot[] {
    return snapshotsOf(this.members);
  }

  node(name: string): N {
    return memberNamed(this.members, name);
  }

  links() {
    return this.net.links();
  }

  /** A replica's config and standby.signal are still in place, so it restarts as a standby and catches up. */
  async recover(name: string): Promise<void> {
    const node = this.node(name);
    if (node.state === 'paused') return node.resume();
    if (node.state !== 'running') await node.start();
    // As a transaction manager does when a participant comes back: finish what it holds prepared.
    if (node.role === 'primary') await this.distributedCommit.resolveInDoubt();
  }

  killAtCommitPoint(name: string): Promise<void> {
    return this.distributedCommit.killAtCommitPoint(name);
  }

  failover(): Promise<void> {
    return Promise.reject(
      new Error("pg-partitioned promotes no replica: the coordinator's postgres_fdw servers name each shard primary's address"),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.distributedCommit[Symbol.asyncDispose]();
    await this.placement.close();
    // The coordinator first, so no FDW session is left waiting on a shard that went away; then
    // replicas, so no shard's shutdown waits on a standby.
    await Promise.allSettled(this.members.filter((n) => n.name === COORDINATOR).map((n) => n[Symbol.asyncDispose]()));
    await Promise.allSettled(this.members.filter((n) => n.role === 'replica').map((n) => n[Symbol.asyncDispose]()));
    await Promise.allSettled(this.shards().map((n) => n[Symbol.asyncDispose]()));
    await this.network?.[Symbol.asyncDispose]();
  }
}

async function connectAdmin(node: PgServerNode): Promise<pg.Client> {
  const client = new pg.Client({ ...node.adminConfig(), connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}
