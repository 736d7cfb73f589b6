import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { LinkControl } from '../../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../../harness/fault/link-selection.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { HistoryEvent } from '../../../harness/history/history-types.ts';
import { PhaseInterrupted } from '../../../harness/process/abortable.ts';
import { describeNodes, memberNamed, snapshotsOf } from '../../node-members.ts';
import type { NodeState, Topology, TopologyNodeInfo } from '../../topology.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import type { SingleLeaderSpec } from '../single-leader/pg-single-leader.ts';
import { waitReplayed } from '../single-leader/replication-admin.ts';
import { RoleSampler } from '../single-leader/role-sampler.ts';
import { ClusterWatcher, type WatchedMember } from './cluster-watcher.ts';
import type { NodePart } from './patroni-node.ts';
import { serverView } from './server-view.ts';

// What a Patroni cluster is whichever provider runs its nodes (local processes, containers): the
// harness never promotes; it follows the leader Patroni's REST API names, samples which servers
// take writes, and brings killed or paused nodes back. A provider's subclass says only how the
// nodes and etcd come up, how their links are cut, and how one process of a node is hit.

export type EventSink = (event: HistoryEvent) => void;

/** What a `part: manager | store` fault does to one node's process. */
export interface PartControl {
  kill(): Promise<void>;
  pause(): Promise<void>;
  recover(): Promise<void>;
}

/** A node as the cluster needs it: a PostgreSQL server, its REST API, and the state of its server apart from its manager. */
export type PatroniMember = PgServerNode & WatchedMember & { readonly serverState: NodeState };

/** The links the nemesis cuts, whichever way the provider routes them. */
export interface PatroniLinks extends AsyncDisposable {
  links(): readonly LinkInfo[];
  readonly linkControl: LinkControl;
}

export abstract class PatroniCluster<N extends PatroniMember> implements Topology, FaultSurface {
  readonly kind = 'pg-single-leader';
  protected members: N[] = [];
  protected network: PatroniLinks | undefined;
  protected watcher: ClusterWatcher | undefined;
  private roles: RoleSampler | undefined;
  readonly scope = `faultline-${randomBytes(6).toString('hex')}`;

  constructor(
    protected readonly spec: SingleLeaderSpec,
    /** Ctrl-C: bring-up takes 10 s and more; every wait stops, and nothing is spawned after it. */
    protected readonly signal?: AbortSignal,
  ) {}

  /** Starts the nodes and the store until the first node leads and every replica streams from it. */
  protected abstract bringUp(): Promise<void>;
  /** kill / pause with `part: manager` (Patroni alone) or `part: store` (the etcd member alone). */
  abstract nodePart(name: string, part: NodePart): PartControl;
  abstract [Symbol.asyncDispose](): Promise<void>;

  get nodes(): readonly N[] {
    return this.members;
  }

  protected get names(): string[] {
    return ['primary', ...Array.from({ length: this.spec.replicas }, (_, i) => `replica${i + 1}`)];
  }

  get linkControl(): LinkControl {
    return this.linksNow().linkControl;
  }

  private linksNow(): PatroniLinks {
    if (!this.network) throw new Error('the topology has not been started');
    return this.network;
  }

  async start(): Promise<void> {
    try {
      await this.bringUp();
    } catch (error) {
      if (this.signal?.aborted) throw new PhaseInterrupted('interrupted by the user while Patroni and etcd were starting');
      throw error;
    }
  }

  /** Follows the leader through the REST API from now on (the roles change with it). */
  protected watchCluster(): void {
    this.watcher = new ClusterWatcher(
      () => this.members,
      (leader) => {
        for (const node of this.members) node.role = node.name === leader ? 'primary' : 'replica';
      },
    );
  }

  protected async waitLeader(name: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.signal?.throwIfAborted();
      if ((await this.watcher!.poll()).includes(name)) return;
      await sleep(200);
    }
    throw new Error(`Patroni did not make ${name} the leader within ${timeoutMs / 1000} s (log ${this.node(name).logPath})`);
  }

  /** Starts following Patroni's leader and sampling writable nodes; events go into the run's history. */
  observe(sink: EventSink, now: () => number): void {
    this.roles = new RoleSampler(() => this.members.map(serverView), sink, now);
    this.roles.start();
    this.watcher?.start(sink, now);
  }

  protected async stopWatching(): Promise<void> {
    await this.watcher?.stop();
    await this.roles?.stop();
  }

  primary(): N {
    const primary = this.members.find((node) => node.role === 'primary');
    if (!primary) throw new Error('the topology has no primary now');
    return primary;
  }

  /** Writes go where Patroni's /primary says, as a load balancer health-checking it would send them. */
  writeCandidates(): readonly N[] {
    return [this.primary()];
  }

  readNodes(): readonly N[] {
    const replicas = this.members.filter((node) => node.role === 'replica');
    return replicas.length > 0 ? replicas : [this.primary()];
  }

  describe(): TopologyNodeInfo[] {
    return describeNodes(this.members);
  }

  async quiesce(timeoutMs: number): Promise<boolean> {
    const primary = this.primary();
    if (primary.state !== 'running') return false;
    const running = this.members.filter((node) => node !== primary && node.state === 'running');
    return waitReplayed(primary, running.map((node) => node.name), timeoutMs).catch(() => false);
  }

  // FaultSurface

  nodesNow(): NodeSnapshot[] {
    return snapshotsOf(this.members);
  }

  node(name: string): N {
    return memberNamed(this.members, name);
  }

  links(): readonly LinkInfo[] {
    return this.linksNow().links();
  }

  async recover(name: string): Promise<void> {
    const node = this.node(name);
    if (node.state === 'paused') return node.resume();
    if (node.state === 'running') return;
    await node.start();
  }

  async failover(): Promise<void> {
    throw new Error('Patroni decides failovers itself: a failover step needs failover.mode manual');
  }
}
