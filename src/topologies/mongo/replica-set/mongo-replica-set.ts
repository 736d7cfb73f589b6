import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { HistoryEvent } from '../../../harness/history/history-types.ts';
import type { MongoReplicaSetSpec } from '../../../harness/scenario/mongo-schema.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import { MONGO_USER, type MongoNode, type MongoProvider } from '../mongo-node.ts';
import type { MongoWiring, WireNodes } from '../network/mongo-wiring.ts';
import { initiateReplicaSet, stepDown, waitMembersReady, waitReplicated } from './replica-set-admin.ts';
import { planMembers, replicaSetConfig, type MemberPlan } from './replica-set-config.ts';
import { MongoRoleSampler } from './mongo-role-sampler.ts';
import { bringBack, memberNamed, snapshotsOf } from '../../node-members.ts';

export const REPLICA_SET_NAME = 'rs0';

/**
 * A MongoDB replica set: N voting data-bearing members (the first preferred as primary), an
 * optional arbiter and an optional hidden (maybe delayed) member. Ready once initiated, every
 * member synced and a primary elected. MongoDB elects by itself; the role sampler follows it.
 */
export class MongoReplicaSet implements Topology, FaultSurface {
  readonly kind = 'mongo-replica-set';
  readonly plan: readonly MemberPlan[];
  private members: MongoNode[] = [];
  private wiring: MongoWiring | undefined;
  private roles: MongoRoleSampler | undefined;

  constructor(
    private readonly spec: MongoReplicaSetSpec,
    private readonly provider: MongoProvider,
    private readonly wire: WireNodes,
  ) {
    this.plan = planMembers(spec);
  }

  get nodes(): readonly MongoNode[] {
    return this.members;
  }

  get linkControl() {
    if (!this.wiring) throw new Error('the topology has not been started');
    return this.wiring.linkControl;
  }

  private kindOf(name: string): MemberPlan['kind'] {
    return this.plan.find((member) => member.name === name)?.kind ?? 'data';
  }

  async start(): Promise<void> {
    this.members = await Promise.all(this.plan.map((member) => this.provider.createMongod(member.name, REPLICA_SET_NAME, 'replica', this.spec.settings)));
    this.wiring = await this.wire(this.members, []);
    await Promise.all(this.members.map((node) => node.start()));
    const byName = new Map(this.members.map((node) => [node.name, node]));
    const config = replicaSetConfig(REPLICA_SET_NAME, this.plan, (name) => byName.get(name)!.memberHost(), this.spec.electionTimeout);
    await initiateReplicaSet(this.provider, this.members[0]!, config, true, MONGO_USER);
    await waitMembersReady(this.members[0]!, this.members.length);
  }

  observe(sink: (event: HistoryEvent) => void, now: () => number): void {
    this.roles = new MongoRoleSampler(() => this.members.filter((node) => this.kindOf(node.name) !== 'arbiter'), sink, now);
    this.roles.start();
  }

  /** Where the engine's lag sampler writes heartbeats and reads them back: each readable secondary, as clients would. */
  lagTargets(): { primary(): MongoNode; secondaries(): readonly MongoNode[] } {
    return { primary: () => this.primary(), secondaries: () => this.readableSecondaries() };
  }

  primary(): MongoNode {
    const primary = this.members.find((node) => node.role === 'primary');
    if (!primary) throw new Error('the replica set has no primary now');
    return primary;
  }

  /** Secondaries clients may read from: neither the arbiter (no data) nor the hidden member (invisible to clients). */
  readableSecondaries(): MongoNode[] {
    return this.members.filter((node) => node.role === 'replica' && this.kindOf(node.name) === 'data');
  }

  readNodes(): readonly MongoNode[] {
    if (this.spec.readPreference === 'primary') return [this.primary()];
    const secondaries = this.readableSecondaries();
    return secondaries.length > 0 ? secondaries : [this.primary()];
  }

  describe(): TopologyNodeInfo[] {
    return this.members.map((node) => ({ name: node.name, role: node.role, host: node.endpoint().host, port: node.port }));
  }

  /** Every running data-bearing secondary except a delayed one (it is behind on purpose) has caught up. */
  async quiesce(timeoutMs: number): Promise<boolean> {
    const primary = this.primary();
    if (primary.state !== 'running') return false;
    const delayed = (name: string) => (this.plan.find((m) => m.name === name)?.delaySecs ?? 0) > 0;
    const secondaries = this.members.filter((node) => node !== primary && node.state === 'running' && this.kindOf(node.name) !== 'arbiter' && !delayed(node.name));
    return waitReplicated(primary, secondaries, timeoutMs);
  }

  /** Members whose data should be equal after quiesce (convergence compares them). */
  convergentMembers(): MongoNode[] {
    return this.members.filter((node) => node.state === 'running' && this.kindOf(node.name) !== 'arbiter' && !((this.plan.find((m) => m.name === node.name)?.delaySecs ?? 0) > 0));
  }

  // FaultSurface

  nodesNow(): NodeSnapshot[] {
    return snapshotsOf(this.members);
  }

  node(name: string): MongoNode {
    return memberNamed(this.members, name);
  }

  links() {
    return this.wiring?.links() ?? [];
  }

  /** A crashed or stopped member starts again and MongoDB does the rest (catch-up, or rollback of writes the others never had). */
  recover(name: string): Promise<void> {
    return bringBack(this.node(name));
  }

  async failover(): Promise<void> {
    await stepDown(this.primary());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.roles?.stop();
    await Promise.allSettled(this.members.map((node) => node[Symbol.asyncDispose]()));
    await this.wiring?.[Symbol.asyncDispose]();
  }
}
