import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { HistoryEvent } from '../../../harness/history/history-types.ts';
import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import { TEMPLATE_USER } from '../local/pg-template.ts';
import { scramVerifier } from '../../credentials/scram-verifier.ts';
import type { PgServerNode, PgServerProvider } from '../pg-server-node.ts';
import { FailoverMonitor } from './failover-monitor.ts';
import { promote } from './promote.ts';
import { ensureSlots, receivedLsn, streamsTimeline, waitReplayed, waitStreaming, withAdmin, writeTimeline } from './replication-admin.ts';
import { primaryReplicationSettings, standbySettings } from './replication-settings.ts';
import { RoleSampler } from './role-sampler.ts';
import { describeNodes, memberNamed, snapshotsOf } from '../../node-members.ts';

/** How long every running replica gets to stream from the primary before the ones that do not are examined. */
const REJOIN_WAIT_MS = 5_000;

export type SingleLeaderSpec = Extract<TopologySpec, { kind: 'pg-single-leader' }>;
export type EventSink = (event: HistoryEvent) => void;

/**
 * One primary and N streaming replicas, each with its own physical replication slot; failover
 * none, manual or automatic. Implements the nemesis's FaultSurface: its nodes, its links, how a
 * crashed node comes back. Runs on either provider: local processes or containers.
 */
export class PgSingleLeader<N extends PgServerNode = PgServerNode> implements Topology, FaultSurface {
  readonly kind = 'pg-single-leader';
  private members: N[] = [];
  /**
   * Nodes whose data directories may hold WAL the new primary never had: former primaries, and
   * replicas that were down or frozen at the failover (their received WAL was never compared, and
   * a paused one still follows the old primary).
   */
  private readonly diverged = new Set<string>();
  private sink: EventSink = () => {};
  private monitor: FailoverMonitor | undefined;
  private roles: RoleSampler | undefined;
  private failing: Promise<void> | undefined;
  /** Where the newest timeline forked off the old one (the promoted replica's received WAL). */
  private forkLsn: bigint | undefined;

  constructor(
    private readonly spec: SingleLeaderSpec,
    private readonly provider: PgServerProvider<N>,
    private readonly makeNetwork: (nodes: readonly N[]) => Promise<TopologyNetwork>,
  ) {}

  /** The run's clock, so events land on the history's time axis. */
  private now: () => number = () => performance.now();

  private network: TopologyNetwork | undefined;

  get nodes(): readonly N[] {
    return this.members;
  }

  get linkControl() {
    return this.net.linkControl;
  }

  private get net(): TopologyNetwork {
    if (!this.network) throw new Error('the topology has not been started');
    return this.network;
  }

  async start(): Promise<void> {
    const replicaNames = Array.from({ length: this.spec.replicas }, (_, i) => `replica${i + 1}`);
    // Local nodes are copies of one cleanly shut-down template, valid standby bases straight
    // away, so all of them can be prepared at once (containers copy the primary when they boot).
    this.members = await Promise.all([
      this.provider.createNode('primary', 'primary', this.spec.regions?.[0]),
      ...replicaNames.map((name, i) => this.provider.createNode(name, 'replica', this.spec.regions?.[i + 1])),
    ]);
    this.network = await this.makeNetwork(this.members);
    for (const node of this.members) node.clientPort = this.net.portOf('clients', node.name);
    const primary = this.primary();
    await this.configurePrimary(primary);
    await primary.start();
    await withAdmin(primary, (admin) => admin.query(`SET synchronous_commit = local; ALTER ROLE ${TEMPLATE_USER} PASSWORD '${scramVerifier(this.provider.password)}'`));
    await ensureSlots(primary, replicaNames);
    await Promise.all(
      this.replicas().map(async (replica) => {
        await replica.initStandbyFrom(primary);
        await this.startStandby(replica, primary);
      }),
    );
    await waitStreaming(primary, replicaNames, this.spec.replication === 'async' ? 'none' : 'every');
  }

  /** Starts failover monitoring and split-brain sampling; events go into the run's history. */
  observe(sink: EventSink, now: () => number): void {
    this.sink = sink;
    this.now = now;
    this.roles = new RoleSampler(() => this.members, sink, this.now);
    this.roles.start();
    if (this.spec.failover.mode === 'automatic') {
      this.monitor = new FailoverMonitor(() => this.primary(), this.spec.failover.detectAfter, (reason) => this.failover(reason), this.now);
      this.monitor.start();
    }
  }

  private async configurePrimary(primary: N): Promise<void> {
    const standbys = this.members.filter((n) => n !== primary).map((n) => n.name);
    await primary.writeConfig(primary.serverSettings(), primaryReplicationSettings(this.spec, standbys), this.spec.settings);
  }

  private async configureStandby(replica: N, primary: N): Promise<void> {
    const upstream = standbySettings(
      replica,
      this.net.portOf(replica.name, primary.name),
      this.net.hostOf?.(replica.name, primary.name),
    );
    await replica.writeConfig(replica.serverSettings(), upstream, this.spec.settings);
    await replica.setStandby(true);
  }

  private async startStandby(replica: N, primary: N): Promise<void> {
    await this.configureStandby(replica, primary);
    await replica.start();
  }

  primary(): N {
    const primary = this.members.find((node) => node.role === 'primary');
    if (!primary) throw new Error('the topology has no primary now');
    return primary;
  }

  private replicas(): N[] {
    return this.members.filter((node) => node.role === 'replica');
  }

  readNodes(): readonly N[] {
    const replicas = this.replicas();
    return replicas.length > 0 ? replicas : [this.primary()];
  }

  /**
   * A regional client reads where it is: a replica of its region, else the primary when that is
   * in its region; only a region with neither reads across the ocean.
   */
  readNodesFor(region: string): readonly N[] {
    const local = this.replicas().filter((node) => node.region === region && node.state === 'running');
    if (local.length > 0) return local;
    return this.primary().region === region ? [this.primary()] : this.readNodes();
  }

  describe(): TopologyNodeInfo[] {
    return describeNodes(this.members);
  }

  async quiesce(timeoutMs: number): Promise<boolean> {
    const primary = this.primary();
    if (primary.state !== 'running') return false;
    await this.rejoinDiverged(primary);
    const running = this.replicas().filter((node) => node.state === 'running');
    return waitReplayed(primary, running.map((node) => node.name), timeoutMs);
  }

  /**
   * After a failover, a replica can have received WAL past the new timeline's fork point even
   * though it was running and repointed: bytes the dead primary had sent were still in flight
   * (held by a partition) and arrived after the promotion. It then never streams from the new
   * primary. As Patroni does, such a replica is rewound: stopped, pg_rewind (or a base backup),
   * and started as a standby of the primary. One that merely lags streams soon and is left alone.
   */
  private async rejoinDiverged(primary: N): Promise<void> {
    if (this.forkLsn === undefined) return;
    const forkLsn = this.forkLsn;
    // A primary that cannot be asked now leaves every replica as it is; the checks then say what they found.
    const timeline = await writeTimeline(primary).catch(() => undefined);
    if (timeline === undefined) return;
    // Every running replica gets REJOIN_WAIT_MS to stream the primary's timeline; the ones that do
    // not are either still behind the fork (they will follow it) or past it (rewound here).
    let waiting = this.replicas().filter((node) => node.state === 'running');
    const deadline = Date.now() + REJOIN_WAIT_MS;
    for (;;) {
      const following = await Promise.all(waiting.map((node) => streamsTimeline(node, timeline).catch(() => false)));
      waiting = waiting.filter((_, i) => !following[i]);
      if (waiting.length === 0 || Date.now() > deadline) break;
      await sleep(100);
    }
    for (const node of waiting) {
      const lsn = await receivedLsn(node).catch(() => -1n);
      if (lsn <= forkLsn) continue;
      this.sink({ type: 'rejoin', node: node.name, time: this.now(), reason: `replayed WAL past the fork point (${lsn} > ${forkLsn}) and did not stream timeline ${timeline} from ${primary.name}` });
      await node.stop();
      this.diverged.add(node.name);
      await this.recover(node.name);
    }
  }

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

  async recover(name: string): Promise<void> {
    await this.failing;
    const node = this.node(name);
    if (node.state === 'paused') {
      await node.resume();
      if (!this.diverged.has(name)) return;
      // Frozen through a failover: it still streams from the old primary's timeline.
      await node.stop();
    }
    if (node.state === 'running') return;
    if (node.role === 'primary') return node.start();
    const primary = this.primary();
    if (this.diverged.has(name)) {
      // Until its first checkpoint a just-promoted primary's control file still names the old
      // timeline, and pg_rewind then says "no rewind required" and leaves the divergence in place.
      await withAdmin(primary, (admin) => admin.query('CHECKPOINT'));
      await node.resyncFrom(primary);
      this.diverged.delete(name);
    }
    // Config first, standby.signal before start: otherwise it comes up as a second primary.
    await this.startStandby(node, primary);
  }

  failover(reason: string): Promise<void> {
    this.failing ??= this.runFailover(reason).finally(() => (this.failing = undefined));
    return this.failing;
  }

  private async runFailover(reason: string): Promise<void> {
    const detectedAt = this.now();
    const old = this.primary();
    const result = await promote(old, this.replicas(), (node) => this.configurePrimary(node));
    if (!result) throw new Error(`failover (${reason}): no running replica to promote`);
    const { promoted } = result;
    this.forkLsn = result.forkLsn;
    this.diverged.add(old.name);
    // A replica that was down or frozen may have received WAL past the fork point; rewinding one
    // that has not costs a "no rewind required".
    for (const node of this.replicas()) {
      if (node !== promoted && node !== old && node.state !== 'running') this.diverged.add(node.name);
    }
    old.role = 'replica';
    promoted.role = 'primary';
    this.sink({ type: 'failover', from: old.name, to: promoted.name, time: this.now(), detectedAt });
    await ensureSlots(promoted, this.members.filter((n) => n !== promoted).map((n) => n.name));
    await Promise.all(
      this.replicas()
        .filter((node) => node !== old && node.state === 'running')
        .map(async (node) => {
          await this.configureStandby(node, promoted);
          await withAdmin(node, (admin) => admin.query('SELECT pg_reload_conf()'));
        }),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.monitor?.stop();
    await this.roles?.stop();
    await this.failing?.catch(() => {});
    // Replicas first, so that a sync primary is not left waiting on a standby that vanished.
    await Promise.allSettled(this.members.filter((n) => n.role !== 'primary').map((n) => n[Symbol.asyncDispose]()));
    await Promise.allSettled(this.members.filter((n) => n.role === 'primary').map((n) => n[Symbol.asyncDispose]()));
    await this.network?.[Symbol.asyncDispose]();
  }
}
