import pg from 'pg';
import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import type { LocalPgNode } from '../local/local-pg-node.ts';
import type { LocalPgProvider } from '../local/local-pg-provider.ts';
import { baseSettings, type PgSettings } from '../local/pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';
import { scramVerifier } from '../local/scram-verifier.ts';
import { withAdmin } from '../single-leader/replication-admin.ts';
import { DistributedCommit } from './distributed/distributed-commit.ts';
import { moveTablesToShards } from './move-to-shards.ts';
import { ShardPlacement } from './shard-placement.ts';

export type PartitionedSpec = Extract<TopologySpec, { kind: 'pg-partitioned' }>;

export const COORDINATOR = 'coordinator';
export const shardName = (i: number): string => `shard${i + 1}`;

/**
 * A coordinator and K shards, each a standalone server. Clients only ever talk to the
 * coordinator; partitioned tables live on the shards as postgres_fdw foreign partitions, the
 * other tables stay on the coordinator. The coordinator reaches each shard through the
 * `coordinator->shardN` link, so network faults can cut a shard off.
 */
export class PgPartitioned implements Topology, FaultSurface {
  readonly kind = 'pg-partitioned';
  private members: LocalPgNode[] = [];
  private network: TopologyNetwork | undefined;
  readonly placement: ShardPlacement;
  /** How checkouts spanning several nodes commit (plain FDW or the harness's two-phase commit). */
  readonly distributedCommit: DistributedCommit;

  constructor(
    private readonly spec: PartitionedSpec,
    private readonly provider: LocalPgProvider,
    private readonly makeNetwork: (nodes: readonly LocalPgNode[]) => Promise<TopologyNetwork>,
  ) {
    this.placement = new ShardPlacement(() => this.shards(), () => this.primary(), Object.keys(spec.tables));
    this.distributedCommit = new DistributedCommit(spec.distributedCommit, {
      coordinator: COORDINATOR,
      node: (name) => this.node(name),
      nodes: () => this.members,
      clientEndpoint: (name) => this.node(name).endpoint(),
    });
  }

  get nodes(): readonly LocalPgNode[] {
    return this.members;
  }

  private get net(): TopologyNetwork {
    if (!this.network) throw new Error('the topology has not been started');
    return this.network;
  }

  get linkControl() {
    return this.net.linkControl;
  }

  async start(): Promise<void> {
    const names = Array.from({ length: this.spec.shards }, (_, i) => shardName(i));
    // Shards are primaries of their own data; "replica" would make the lag sampler read them.
    this.members = await Promise.all([COORDINATOR, ...names].map((name) => this.provider.createNode(name, 'primary')));
    this.network = await this.makeNetwork(this.members);
    for (const node of this.members) node.clientPort = this.net.portOf('clients', node.name);
    await Promise.all(
      this.members.map(async (node) => {
        // Two-phase commit holds up to one prepared transaction per client worker on every node.
        const twoPhase: PgSettings = this.spec.distributedCommit === '2pc' ? { max_prepared_transactions: 200 } : {};
        await node.writeConfig(baseSettings(node.port, node.socketDir), twoPhase, this.spec.settings);
        await node.start();
        // The coordinator's FDW connections log in over TCP with the run's password, like clients.
        await withAdmin(node, (admin) => admin.query(`ALTER ROLE ${TEMPLATE_USER} PASSWORD '${scramVerifier(this.provider.password)}'`));
      }),
    );
  }

  /** Run after the workload's DDL: moves the scenario's tables to the shards. */
  async afterSchema(): Promise<void> {
    const shards = this.shards();
    const servers = shards.map((node) => ({ name: node.name, port: this.net.portOf(COORDINATOR, node.name), database: TEMPLATE_DATABASE }));
    const clients = await Promise.all(shards.map((shard) => connectAdmin(shard)));
    try {
      await withAdmin(
        this.primary(),
        (coordinator) =>
          moveTablesToShards(coordinator, clients, {
            tables: this.spec.tables,
            servers,
            batchSize: this.spec.batchSize,
            user: TEMPLATE_USER,
            password: this.provider.password,
          }),
        30_000,
      );
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    }
    await withAdmin(this.primary(), (coordinator) => this.distributedCommit.afterSchema(coordinator));
  }

  primary(): LocalPgNode {
    return this.node(COORDINATOR);
  }

  shards(): LocalPgNode[] {
    return this.members.filter((node) => node.name !== COORDINATOR);
  }

  readNodes(): readonly LocalPgNode[] {
    return [this.primary()];
  }

  /** A shard is never a stand-in for the coordinator: while it is down, writes fail. */
  writeCandidates(): readonly LocalPgNode[] {
    return [this.primary()];
  }

  describe(): TopologyNodeInfo[] {
    return this.members.map((node) => ({ name: node.name, role: node.role, host: '127.0.0.1', port: node.port }));
  }

  /** No replication: nothing to wait for. */
  async quiesce(): Promise<boolean> {
    return true;
  }

  /** No failover monitor or role sampler: every node is the only copy of its data. */
  observe(): void {}

  // FaultSurface

  nodesNow(): NodeSnapshot[] {
    return this.members.map((node) => ({ name: node.name, role: node.role }));
  }

  node(name: string): LocalPgNode {
    const node = this.members.find((n) => n.name === name);
    if (!node) throw new Error(`no node named ${name}`);
    return node;
  }

  links() {
    return this.net.links();
  }

  async recover(name: string): Promise<void> {
    const node = this.node(name);
    if (node.state === 'paused') return node.resume();
    if (node.state !== 'running') await node.start();
    // As a transaction manager does when a participant comes back: finish what it holds prepared.
    await this.distributedCommit.resolveInDoubt();
  }

  killAtCommitPoint(name: string): Promise<void> {
    return this.distributedCommit.killAtCommitPoint(name);
  }

  failover(): Promise<void> {
    return Promise.reject(new Error('pg-partitioned has no replicas to promote'));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.distributedCommit[Symbol.asyncDispose]();
    await this.placement.close();
    // The coordinator first, so no FDW session is left waiting on a shard that went away.
    await Promise.allSettled(this.members.filter((n) => n.name === COORDINATOR).map((n) => n[Symbol.asyncDispose]()));
    await Promise.allSettled(this.shards().map((n) => n[Symbol.asyncDispose]()));
    await this.network?.[Symbol.asyncDispose]();
  }
}

async function connectAdmin(node: LocalPgNode): Promise<pg.Client> {
  const client = new pg.Client({ ...node.adminConfig(), connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}
