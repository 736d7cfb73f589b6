import pg from 'pg';
import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { LagEvent } from '../../../harness/history/history-types.ts';
import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import { conninfo } from '../local/pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';
import { scramVerifier } from '../../credentials/scram-verifier.ts';
import { withAdmin } from '../single-leader/replication-admin.ts';
import { readConflictLogs } from './conflict-log.ts';
import { findDivergence } from './leader-divergence.ts';
import { LEADER_HEARTBEAT_DDL, LeaderHeartbeats } from './leader-heartbeat.ts';
import { LeaderLagSampler } from './leader-lag-sampler.ts';
import { leaderSettings, pglogicalNodeName, subscriptionName } from './leader-settings.ts';
import type { MultiLeaderResults } from '../../../harness/results/multi-leader-results.ts';
import { prepareLeader, subscribe, waitReplicating } from './pglogical-setup.ts';
import { waitAllApplied } from './wait-applied.ts';
import { bringBack, describeNodes, memberNamed, snapshotsOf } from '../../node-members.ts';
import type { PgServerNode, PgServerProvider } from '../pg-server-node.ts';

export type MultiLeaderSpec = Extract<TopologySpec, { kind: 'pg-multi-leader' }>;

/**
 * N leaders, one per region, each taking writes and replicating them to every other through
 * pglogical (a subscription per ordered pair, forward_origins '{}' so nothing loops back).
 * A row changed on two leaders before either saw the other's change is a conflict, resolved by
 * pglogical.conflict_resolution and reported only in the server log. Every leader is a primary:
 * primary() is the first, the reference copy for the checks.
 */
export class PgMultiLeader implements Topology, FaultSurface {
  readonly kind = 'pg-multi-leader';
  private members: PgServerNode[] = [];
  private network: TopologyNetwork | undefined;
  private readonly beats = new LeaderHeartbeats();
  private sampler: LeaderLagSampler | undefined;
  private now: () => number = () => performance.now();
  /** The latest quiesce: how long leaders took to apply each other's writes (null: they did not). */
  private catchUp: number | null | undefined;

  constructor(
    private readonly spec: MultiLeaderSpec,
    private readonly provider: PgServerProvider,
    private readonly makeNetwork: (nodes: readonly PgServerNode[]) => Promise<TopologyNetwork>,
  ) {}

  get nodes(): readonly PgServerNode[] {
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
    this.members = await Promise.all(this.spec.leaders.map((name) => this.provider.createNode(name, 'primary', name)));
    this.network = await this.makeNetwork(this.members);
    for (const node of this.members) node.clientPort = this.net.portOf('clients', node.name);
    await Promise.all(
      this.members.map(async (node) => {
        await node.writeConfig(node.serverSettings(), leaderSettings(this.spec.conflictResolution), this.spec.settings);
        await node.start();
        // Subscriptions log in to their providers over TCP with the run's password, like clients.
        await withAdmin(node, (admin) => admin.query(`ALTER ROLE ${TEMPLATE_USER} PASSWORD '${scramVerifier(this.provider.password)}'`));
      }),
    );
  }

  /** DDL is not replicated and every leader starts from the same seeded rows: each loads them. */
  datasetNodes(): readonly PgServerNode[] {
    return this.members;
  }

  /** pglogical on every leader, then a subscription per ordered pair, streaming before load starts. */
  async afterLoad(): Promise<void> {
    await Promise.all(
      this.members.map((leader) =>
        withAdmin(
          leader,
          async (admin) => {
            await admin.query(LEADER_HEARTBEAT_DDL);
            const { rows } = await admin.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
            await prepareLeader(admin, { nodeName: pglogicalNodeName(leader.name), dsn: this.dsn(leader, leader), tables: rows.map((r) => r.name) });
          },
          120_000,
        ),
      ),
    );
    await Promise.all(
      this.members.map((subscriber) =>
        withAdmin(
          subscriber,
          async (admin) => {
            const providers = this.members.filter((n) => n !== subscriber);
            for (const provider of providers) await subscribe(admin, subscriptionName(subscriber.name, provider.name), this.dsn(subscriber, provider));
            await waitReplicating(admin, providers.map((p) => subscriptionName(subscriber.name, p.name)), 60_000);
          },
          70_000,
        ),
      ),
    );
  }

  /** How `from` reaches `to`: through the from->to link, so simulated latency and partitions apply. */
  private dsn(from: PgServerNode, to: PgServerNode): string {
    const self = to.selfAddress();
    return conninfo({
      host: from === to ? self.host : (this.net.hostOf?.(from.name, to.name) ?? '127.0.0.1'),
      port: from === to ? self.port : this.net.portOf(from.name, to.name),
      dbname: TEMPLATE_DATABASE,
      user: TEMPLATE_USER,
      passfile: from.passfile,
      connect_timeout: 2,
      keepalives_idle: 2,
      keepalives_interval: 1,
      keepalives_count: 3,
    });
  }

  observe(_sink: unknown, now: () => number): void {
    // Several writable nodes is the design here, not split brain: no role sampling.
    this.now = now;
  }

  /** Lag per direction, from per-leader heartbeats; the run starts and stops it around the load. */
  lagSampler(sink: (event: LagEvent) => void, now: () => number): LeaderLagSampler {
    this.sampler = new LeaderLagSampler(() => this.members, this.beats, sink, now);
    return this.sampler;
  }

  primary(): PgServerNode {
    const first = this.members[0];
    if (!first) throw new Error('the topology has not been started');
    return first;
  }

  /** Without regions, reads meant for replicas go to the other leaders: asynchronous copies of the first. */
  readNodes(): readonly PgServerNode[] {
    return this.members.length > 1 ? this.members.slice(1) : [this.primary()];
  }

  writeNodesFor(region: string): readonly PgServerNode[] {
    return [this.leaderOf(region)];
  }

  readNodesFor(region: string): readonly PgServerNode[] {
    return [this.leaderOf(region)];
  }

  private leaderOf(region: string): PgServerNode {
    return this.members.find((node) => node.name === region) ?? this.primary();
  }

  describe(): TopologyNodeInfo[] {
    return describeNodes(this.members);
  }

  /** Waits until every running leader has applied every other's writes; remembers how long it took. */
  async quiesce(timeoutMs: number): Promise<boolean> {
    const started = this.now();
    const running = this.members.filter((node) => node.state === 'running');
    const applied = running.length === this.members.length && (await waitAllApplied(running, this.beats, timeoutMs, this.now));
    this.catchUp = applied ? Math.round(this.now() - started) : null;
    return applied;
  }

  /** Conflicts from the logs, lag per direction, and what still differs: call after the final quiesce. */
  async multiLeaderReport(): Promise<MultiLeaderResults> {
    const conflicts = await readConflictLogs(this.members.map((node) => ({ node: node.name, path: node.logPath })));
    const clients: Record<string, pg.Client> = {};
    const running = this.members.filter((node) => node.state === 'running');
    try {
      for (const node of running) {
        const client = new pg.Client({ ...node.adminConfig(), application_name: 'faultline-check', connectionTimeoutMillis: 5_000 });
        client.on('error', () => {});
        await client.connect();
        clients[node.name] = client;
      }
      const divergence = await findDivergence(clients);
      const catchUpMs = this.catchUp ?? null;
      const agreed =
        divergence.rows === 0 && Object.keys(divergence.tables).length === 0 && Object.keys(divergence.unreadable).length === 0 && running.length === this.members.length;
      return {
        conflictResolution: this.spec.conflictResolution,
        leaders: this.members.map((node) => node.name),
        conflicts,
        lagMs: this.sampler?.summary() ?? {},
        catchUpMs,
        convergenceMs: agreed ? catchUpMs : null,
        divergence,
      };
    } finally {
      await Promise.all(Object.values(clients).map((client) => client.end().catch(() => {})));
    }
  }

  // FaultSurface

  nodesNow(): NodeSnapshot[] {
    return snapshotsOf(this.members);
  }

  node(name: string): PgServerNode {
    return memberNamed(this.members, name);
  }

  links() {
    return this.net.links();
  }

  /** A leader restarts with its data and its subscriptions; pglogical resumes from the slots. */
  recover(name: string): Promise<void> {
    return bringBack(this.node(name));
  }

  failover(): Promise<void> {
    return Promise.reject(new Error('pg-multi-leader has no failover: every leader already takes writes'));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.sampler?.stop();
    await Promise.allSettled(this.members.map((node) => node[Symbol.asyncDispose]()));
    await this.network?.[Symbol.asyncDispose]();
  }
}
