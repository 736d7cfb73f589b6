import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { HistoryEvent } from '../../../harness/history/history-types.ts';
import type { MongoShardedSpec } from '../../../harness/scenario/mongo-schema.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import { MongoClient } from 'mongodb';
import { directUri } from '../admin/mongo-uri.ts';
import { adminCommand } from '../admin/with-mongo-client.ts';
import { MONGO_USER, type MongoNode, type MongoProvider } from '../mongo-node.ts';
import type { MongoWiring, WireNodes } from '../network/mongo-wiring.ts';
import { initiateReplicaSet, stepDown, waitMembersReady, waitReplicated } from '../replica-set/replica-set-admin.ts';
import { plainMembers, replicaSetConfig } from '../replica-set/replica-set-config.ts';
import { MongoRoleSampler } from '../replica-set/mongo-role-sampler.ts';
import { ShardDistribution } from './shard-distribution.ts';
import { shardedLayout, shardingCommands, type ShardedLayout } from './sharding-plan.ts';
import { bringBack, memberNamed, snapshotsOf } from '../../node-members.ts';

/**
 * A sharded cluster: a config-server replica set, S shard replica sets and R mongos routers.
 * Clients talk to the routers; faults aim at shard members (`primary` is every shard's primary).
 * Orders are sharded as the scenario says (hashed or ranged, by order id or customer id, zones
 * by region); everything else stays on shard1.
 */
export class MongoSharded implements Topology, FaultSurface {
  readonly kind = 'mongo-sharded';
  readonly layout: ShardedLayout;
  private config: MongoNode[] = [];
  private shards: MongoNode[][] = [];
  private routers: MongoNode[] = [];
  private wiring: MongoWiring | undefined;
  private roles: MongoRoleSampler | undefined;
  readonly distribution = new ShardDistribution(async () => this.routerClient());
  private closeRouterClient: (() => Promise<void>) | undefined;
  private routerClientPromise: Promise<MongoClient> | undefined;

  constructor(
    private readonly spec: MongoShardedSpec,
    private readonly provider: MongoProvider,
    private readonly wire: WireNodes,
  ) {
    this.layout = shardedLayout(spec);
  }

  get nodes(): readonly MongoNode[] {
    return [...this.config, ...this.shards.flat(), ...this.routers];
  }

  get linkControl() {
    if (!this.wiring) throw new Error('the topology has not been started');
    return this.wiring.linkControl;
  }

  private shardMembers(): MongoNode[] {
    return this.shards.flat();
  }

  async start(): Promise<void> {
    const { config, shards, routers } = this.layout;
    this.config = await Promise.all(config.members.map((name) => this.provider.createMongod(name, config.replicaSet, 'configsvr', this.spec.settings)));
    this.shards = await Promise.all(
      shards.map((shard) => Promise.all(shard.members.map((name) => this.provider.createMongod(name, shard.replicaSet, 'shardsvr', this.spec.settings)))),
    );
    const configDb = () => `${config.replicaSet}/${this.config.map((node) => node.memberHost()).join(',')}`;
    this.routers = await Promise.all(routers.map((name) => this.provider.createMongos(name, configDb())));
    this.wiring = await this.wire([...this.config, ...this.shardMembers()], this.routers);
    await Promise.all([...this.config, ...this.shardMembers()].map((node) => node.start()));
    const initiate = (prefix: string, replicaSet: string, members: MongoNode[], createUser: boolean, configsvr: boolean) => {
      const hosts = new Map(members.map((node) => [node.name, node.memberHost()]));
      const rsConfig = replicaSetConfig(replicaSet, plainMembers(prefix, members.length), (name) => hosts.get(name)!, this.spec.electionTimeout, configsvr);
      return initiateReplicaSet(this.provider, members[0]!, rsConfig, createUser, MONGO_USER).then(() => waitMembersReady(members[0]!, members.length));
    };
    // Cluster users live on the config servers' admin database, so the run's user is created on
    // the config primary (the localhost exception, before mongos exists): mongos authenticates
    // against it. Each shard gets its own shard-local user so the harness can sample its members.
    await Promise.all([
      initiate('cfg', config.replicaSet, this.config, true, true),
      ...this.shards.map((members, s) => initiate(`shard${s + 1}-`, shards[s]!.replicaSet, members, true, false)),
    ]);
    await Promise.all(this.routers.map((node) => node.start()));
    const seeds = new Map(this.shards.map((members, s) => [shards[s]!.replicaSet, members.map((node) => node.memberHost())]));
    for (const command of shardingCommands(this.spec, seeds)) await adminCommand(this.routers[0]!.adminEndpoint(), command);
  }

  private routerClient(): Promise<MongoClient> {
    this.routerClientPromise ??= (async () => {
      const client = new MongoClient(directUri(this.routers[0]!.adminEndpoint()), { serverSelectionTimeoutMS: 2_000, appName: 'faultline-distribution' });
      this.closeRouterClient = () => client.close(true);
      return client;
    })();
    return this.routerClientPromise;
  }

  observe(sink: (event: HistoryEvent) => void, now: () => number): void {
    this.roles = new MongoRoleSampler(() => this.shardMembers(), sink, now);
    this.roles.start();
    this.distribution.start(now(), now);
  }

  /** Heartbeats through a router land on shard1 (the primary shard, unsharded); its secondaries are read. */
  lagTargets(): { primary(): MongoNode; secondaries(): readonly MongoNode[] } {
    const secondaries = () => (this.shards[0] ?? []).filter((node) => node.role === 'replica');
    return { primary: () => this.primary(), secondaries };
  }

  /** Clients write through a router; which shard takes the write is the router's business. */
  primary(): MongoNode {
    return this.routers.find((node) => node.state === 'running') ?? this.routers[0]!;
  }

  readNodes(): readonly MongoNode[] {
    return this.routers;
  }

  describe(): TopologyNodeInfo[] {
    return this.nodes.map((node) => ({ name: node.name, role: node.role, host: node.endpoint().host, port: node.port }));
  }

  /** The primary of each shard (and of the config servers), by the roles last sampled. */
  replicaSetPrimaries(): MongoNode[] {
    return [this.config, ...this.shards].map((members) => members.find((node) => node.role === 'primary') ?? members[0]!);
  }

  async quiesce(timeoutMs: number): Promise<boolean> {
    const results = await Promise.all(
      this.shards.map((members) => {
        const primary = members.find((node) => node.role === 'primary') ?? members[0]!;
        return waitReplicated(primary, members.filter((node) => node !== primary && node.state === 'running'), timeoutMs);
      }),
    );
    return results.every(Boolean);
  }

  /** Each shard's running members, which should hold equal data after quiesce. */
  shardGroups(): MongoNode[][] {
    return this.shards.map((members) => members.filter((node) => node.state === 'running'));
  }

  // FaultSurface: shard members only.

  nodesNow(): NodeSnapshot[] {
    return snapshotsOf(this.shardMembers());
  }

  node(name: string): MongoNode {
    return memberNamed(this.nodes, name);
  }

  links() {
    return this.wiring?.links() ?? [];
  }

  recover(name: string): Promise<void> {
    return bringBack(this.node(name));
  }

  /** Steps down every shard's primary. */
  async failover(): Promise<void> {
    await Promise.all(this.shards.map((members) => members.find((node) => node.role === 'primary')).filter((node) => node !== undefined).map((node) => stepDown(node)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.roles?.stop();
    await this.closeRouterClient?.().catch(() => {});
    await Promise.allSettled(this.routers.map((node) => node[Symbol.asyncDispose]()));
    await Promise.allSettled(this.shardMembers().map((node) => node[Symbol.asyncDispose]()));
    await Promise.allSettled(this.config.map((node) => node[Symbol.asyncDispose]()));
    await this.wiring?.[Symbol.asyncDispose]();
  }
}
