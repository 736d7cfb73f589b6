import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { LagEvent } from '../../../harness/history/history-types.ts';
import type { RegionSpec } from '../../../harness/scenario/region-schema.ts';
import { customerOwners, homeNodeOf } from '../../../harness/scenario/regional-central-schema.ts';
import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import { TEMPLATE_USER } from '../local/pg-template.ts';
import { scramVerifier } from '../../credentials/scram-verifier.ts';
import { ensureSlots, waitReplayed, waitStreaming, withAdmin } from '../single-leader/replication-admin.ts';
import { standbySettings } from '../single-leader/replication-settings.ts';
import { runCentralAnalytics } from './central-analytics.ts';
import { centralCaughtUp, centralSettings, createPublication, REGION_SETTINGS, subscribe, subscriptionStates } from './central-replication.ts';
import { centralDirection, FreshnessSampler } from './freshness-sampler.ts';
import { CENTRAL_NODE, REGION_HEARTBEAT_DDL, replicaName } from './regional-names.ts';
import { keepOwnRows } from './regional-ownership.ts';
import { FreshnessRecord, type RegionalCentralResults } from './regional-results.ts';
import { bringBack, describeNodes, memberNamed, snapshotsOf } from '../../node-members.ts';
import type { PgServerNode, PgServerProvider } from '../pg-server-node.ts';
import { errorMessage, EngineError } from '../../../harness/output/errors.ts';

export type RegionalCentralSpec = Extract<TopologySpec, { kind: 'pg-regional-central' }>;

interface RegionGroup {
  readonly region: string;
  readonly primary: PgServerNode;
  readonly replicas: readonly PgServerNode[];
  /** Customer regions (NA, EMEA, ...) this region owns. */
  readonly customerRegions: readonly string[];
}

/**
 * Seed 004: a primary per region (optionally with streaming replicas in the same region) owning
 * its region's customers, their orders and its warehouses' stock, and a central database that
 * receives every region's orders by native logical replication for analytics. Without central
 * it is geo-partitioning: a customer's every operation stays on their region's node, and only a
 * client in a region without a node has to cross to the one owning its customers.
 */
export class PgRegionalCentral implements Topology, FaultSurface {
  readonly kind = 'pg-regional-central';
  private members: PgServerNode[] = [];
  private groups: RegionGroup[] = [];
  private centralNode: PgServerNode | undefined;
  private network: TopologyNetwork | undefined;
  private readonly owners: Map<string, string>;
  private readonly kept = new Map<string, number>();
  private readonly freshness = new FreshnessRecord();

  constructor(
    private readonly spec: RegionalCentralSpec,
    private readonly declared: Readonly<Record<string, RegionSpec>>,
    datasetRegions: readonly string[],
    private readonly provider: PgServerProvider,
    private readonly makeNetwork: (nodes: readonly PgServerNode[]) => Promise<TopologyNetwork>,
  ) {
    this.owners = customerOwners(spec.regions, declared, datasetRegions);
  }

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
    const { central } = this.spec;
    // Local nodes are copies of one cleanly shut-down template: each a valid standby base of its
    // region's primary (a container copies its primary when it first boots).
    this.groups = await Promise.all(
      this.spec.regions.map(async (region) => ({
        region,
        primary: await this.provider.createNode(region, 'primary', region),
        replicas: await Promise.all(
          Array.from({ length: this.spec.replicasPerRegion }, (_, i) => this.provider.createNode(replicaName(region, i), 'replica', region)),
        ),
        customerRegions: [...this.owners].filter(([, owner]) => owner === region).map(([customer]) => customer),
      })),
    );
    this.centralNode = central === false ? undefined : await this.provider.createNode(CENTRAL_NODE, 'primary', central.region);
    this.members = [...this.groups.flatMap((g) => [g.primary, ...g.replicas]), ...(this.centralNode ? [this.centralNode] : [])];
    this.network = await this.makeNetwork(this.members);
    for (const node of this.members) node.clientPort = this.net.portOf('clients', node.name);
    const writable = [...this.groups.map((g) => g.primary), ...(this.centralNode ? [this.centralNode] : [])];
    await Promise.all(
      writable.map(async (node) => {
        const own = node === this.centralNode ? centralSettings(this.groups.length) : REGION_SETTINGS;
        await node.writeConfig(node.serverSettings(), own, this.spec.settings);
        await node.start();
        // Clients, central's subscriptions and the replicas log in over TCP with the run's password.
        await withAdmin(node, (admin) => admin.query(`ALTER ROLE ${TEMPLATE_USER} PASSWORD '${scramVerifier(this.provider.password)}'`));
      }),
    );
    await Promise.all(this.groups.map((group) => this.startReplicas(group)));
  }

  private async startReplicas(group: RegionGroup): Promise<void> {
    if (group.replicas.length === 0) return;
    const names = group.replicas.map((r) => r.name);
    await ensureSlots(group.primary, names);
    await Promise.all(
      group.replicas.map(async (replica) => {
        const upstream = standbySettings(replica, this.net.portOf(replica.name, group.primary.name), this.net.hostOf?.(replica.name, group.primary.name));
        await replica.initStandbyFrom(group.primary);
        await replica.writeConfig(replica.serverSettings(), REGION_SETTINGS, upstream, this.spec.settings);
        await replica.setStandby(true);
        await replica.start();
      }),
    );
    await waitStreaming(group.primary, names, 'none');
  }

  /** Every regional primary and central get the whole dataset; afterLoad trims the regions. */
  datasetNodes(): readonly PgServerNode[] {
    return [...this.groups.map((g) => g.primary), ...(this.centralNode ? [this.centralNode] : [])];
  }

  /**
   * Each region keeps what it owns, then publishes; central subscribes to each without copying
   * (it has the dataset already, and each region's slot starts after the trim, so the deletes
   * never reach it). Returns once every region's changes reach central.
   */
  async afterLoad(): Promise<void> {
    const central = this.centralNode;
    await Promise.all(
      this.groups.map((group) =>
        withAdmin(
          group.primary,
          async (admin) => {
            this.kept.set(group.region, await keepOwnRows(admin, group.customerRegions));
            await admin.query(REGION_HEARTBEAT_DDL);
          },
          120_000,
        ),
      ),
    );
    if (!central) return;
    await withAdmin(central, (admin) => admin.query(REGION_HEARTBEAT_DDL));
    for (const group of this.groups) {
      await createPublication(group.primary, this.spec.publish);
      await subscribe(central, group.region, this.net.portOf(CENTRAL_NODE, group.primary.name), this.net.hostOf?.(CENTRAL_NODE, group.primary.name));
    }
    const streaming = await Promise.all(this.groups.map((g) => centralCaughtUp(g.primary, central, g.region, 30_000)));
    if (streaming.some((ok) => !ok)) {
      throw new EngineError(`central's subscriptions did not stream within 30 s: ${await subscriptionStates(central)}; see central's log`);
    }
  }

  private group(region: string): RegionGroup | undefined {
    const home = homeNodeOf(region, this.spec.regions, this.declared, this.owners);
    return this.groups.find((g) => g.region === home);
  }

  /** A client's writes go to the primary owning its customers: its own region's, unless it has none. */
  writeNodesFor(region: string): readonly PgServerNode[] {
    return [this.group(region)?.primary ?? this.primary()];
  }

  /** Replica reads stay in the owning region: its replicas, or its primary without any. */
  readNodesFor(region: string): readonly PgServerNode[] {
    const group = this.group(region);
    if (!group) return this.readNodes();
    return group.replicas.length > 0 ? group.replicas : [group.primary];
  }

  /** The first region's primary: where unregioned clients go. */
  primary(): PgServerNode {
    const first = this.groups[0];
    if (!first) throw new Error('the topology has not been started');
    return first.primary;
  }

  readNodes(): readonly PgServerNode[] {
    const first = this.groups[0]!;
    return first.replicas.length > 0 ? first.replicas : [first.primary];
  }

  central(): PgServerNode | undefined {
    return this.centralNode;
  }

  describe(): TopologyNodeInfo[] {
    return describeNodes(this.members);
  }

  /** Central has applied every region's changes, and every regional replica its primary's (bounded). */
  async quiesce(timeoutMs: number): Promise<boolean> {
    const central = this.centralNode;
    const waits = this.groups.flatMap((group) => {
      if (group.primary.state !== 'running') return [];
      const replicas = group.replicas.filter((r) => r.state === 'running').map((r) => r.name);
      const upToDate = [waitReplayed(group.primary, replicas, timeoutMs).catch(() => false)];
      if (central?.state === 'running') upToDate.push(centralCaughtUp(group.primary, central, group.region, timeoutMs));
      return upToDate;
    });
    return (await Promise.all(waits)).every(Boolean);
  }

  /** No failover monitor and no role sampler: every writable node here is writable by design. */
  observe(): void {}

  /** Replaces the run's heartbeat sampler: central's view of each region, each replica's of its primary. */
  lagSampler(sink: (event: LagEvent) => void, now: () => number): FreshnessSampler {
    return new FreshnessSampler(
      {
        regions: this.spec.regions,
        primaryOf: (region) => this.groups.find((g) => g.region === region)!.primary,
        central: this.centralNode,
        replicasOf: (region) => this.groups.find((g) => g.region === region)?.replicas ?? [],
      },
      (sample) => {
        this.freshness.add(sample);
        sink({ type: 'lag', node: sample.key, time: sample.time, stalenessMs: sample.stalenessMs, ...(sample.replayLagMs === undefined ? {} : { replayLagMs: sample.replayLagMs }) });
      },
      now,
    );
  }

  /** After the checks: freshness per region over the run, and central's analytics. */
  async regionalReport(runStart: number): Promise<RegionalCentralResults> {
    const central = this.centralNode;
    const directions = this.spec.regions.map(centralDirection);
    const spreads = this.freshness.spreads(directions);
    const replicas = this.groups.flatMap((g) => g.replicas.map((r) => r.name));
    const base: RegionalCentralResults = {
      central: central ? { node: central.name, ...(central.region === undefined ? {} : { region: central.region }) } : null,
      publishedTables: central ? [...this.spec.publish] : [],
      regions: this.groups.map((g) => ({
        region: g.region,
        node: g.primary.name,
        replicas: g.replicas.map((r) => r.name),
        customerRegions: g.customerRegions,
        customers: this.kept.get(g.region) ?? 0,
      })),
      freshnessMs: central ? Object.fromEntries(this.spec.regions.map((region) => [region, spreads[centralDirection(region)] ?? null])) : {},
      freshnessSeries: central ? this.freshness.series(directions, runStart).map((p) => ({ ...p, region: this.spec.regions[directions.indexOf(p.region)]! })) : [],
      replicaStalenessMs: this.freshness.spreads(replicas),
    };
    if (!central) return base;
    try {
      return { ...base, analytics: await withAdmin(central, (admin) => runCentralAnalytics(admin, this.owners), 30_000) };
    } catch (error) {
      return { ...base, analyticsError: errorMessage(error) };
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

  /**
   * A killed node restarts with its data: a region's logical slot and central's replication
   * origins are crash-safe, so replication resumes where it stopped, without loss or repeats.
   * A replica's config and standby.signal are still in place.
   */
  recover(name: string): Promise<void> {
    return bringBack(this.node(name));
  }

  failover(): Promise<void> {
    return Promise.reject(
      new Error("pg-regional-central has no failover: in PostgreSQL 15 a region's logical slot does not move to its replica, so central's subscription would end"),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // Central first: its apply workers leave, so the regions' walsenders do not hold up their shutdown.
    if (this.centralNode) await this.centralNode[Symbol.asyncDispose]().catch(() => {});
    await Promise.allSettled(this.groups.flatMap((g) => g.replicas).map((n) => n[Symbol.asyncDispose]()));
    await Promise.allSettled(this.groups.map((g) => g.primary[Symbol.asyncDispose]()));
    await this.network?.[Symbol.asyncDispose]();
  }
}
