import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PhaseInterrupted } from '../../../harness/process/abortable.ts';
import type { FaultSurface } from '../../../harness/fault/fault-surface.ts';
import type { NodeSnapshot } from '../../../harness/fault/targets.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { Topology, TopologyNodeInfo } from '../../topology.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import { describeNodes, memberNamed, snapshotsOf } from '../../node-members.ts';
import type { ContainerPgNode } from '../containers/container-pg-node.ts';
import type { ContainerPgProvider } from '../containers/container-pg-provider.ts';
import { CONTAINER_HBA, PG_PORT, SOCKET_DIR } from '../containers/pg-container-files.ts';
import { TEMPLATE_DATABASE } from '../local/pg-template.ts';
import type { SingleLeaderSpec } from '../single-leader/pg-single-leader.ts';
import { waitReplayed, waitStreaming } from '../single-leader/replication-admin.ts';
import { RoleSampler } from '../single-leader/role-sampler.ts';
import { ClusterWatcher } from './cluster-watcher.ts';
import { ContainerPatroniNode, type PartControl } from './container-patroni-node.ts';
import { etcdArguments } from './etcd-member.ts';
import { patroniConfig } from './patroni-config.ts';
import { ETCD_CLIENT_PORT, ETCD_DATA, ETCD_PEER_PORT, PATRONI_DATA, patroniFiles, patroniLauncher, REST_PORT } from './patroni-container.ts';
import type { NodePart } from './patroni-node.ts';
import type { EventSink } from './pg-patroni.ts';
import { waitWritable } from './pg-patroni.ts';
import { serverView } from './server-view.ts';

/**
 * pg-single-leader with failover.mode patroni under the containers provider: one container per
 * node holding its etcd member, Patroni and the PostgreSQL Patroni runs, on the run's Docker
 * network (members reach each other by node name). The harness reads roles from the REST API
 * published on 127.0.0.1 (the same ClusterWatcher and role sampler as local processes), and never
 * promotes: faults are Docker's (kill, pause), the namespace's rules (partitions cut etcd, REST
 * and replication together), or a signal to one process (`part: manager | store`).
 */
export class PgPatroniContainers implements Topology, FaultSurface {
  readonly kind = 'pg-single-leader';
  private members: ContainerPatroniNode[] = [];
  private network: TopologyNetwork | undefined;
  private watcher: ClusterWatcher | undefined;
  private roles: RoleSampler | undefined;
  readonly scope = `faultline-${randomBytes(6).toString('hex')}`;

  constructor(
    private readonly spec: SingleLeaderSpec,
    private readonly provider: ContainerPgProvider,
    private readonly sandbox: RunSandbox,
    private readonly makeNetwork: (nodes: readonly ContainerPgNode[]) => Promise<TopologyNetwork>,
    private readonly signal?: AbortSignal,
  ) {}

  get nodes(): readonly ContainerPatroniNode[] {
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
    try {
      await this.bringUp();
    } catch (error) {
      if (this.signal?.aborted) throw new PhaseInterrupted('interrupted by the user while Patroni and etcd were starting');
      throw error;
    }
  }

  private async bringUp(): Promise<void> {
    const names = ['primary', ...Array.from({ length: this.spec.replicas }, (_, i) => `replica${i + 1}`)];
    const cluster = names.map((name) => `${name}=http://${name}:${ETCD_PEER_PORT}`);
    for (const [i, name] of names.entries()) {
      const restPort = await this.sandbox.allocatePort();
      const files = () => patroniFiles(this.configFor(name, names), this.etcdArgs(name, cluster), i > 0);
      const pgNode = await this.provider.createNode(name, i === 0 ? 'primary' : 'replica', this.spec.regions?.[i], patroniLauncher(restPort, files));
      this.members.push(new ContainerPatroniNode(pgNode, restPort));
    }
    this.network = await this.makeNetwork(this.members.map((m) => m.pg));
    for (const node of this.members) node.clientPort = this.net.portOf('clients', node.name);
    this.watcher = new ClusterWatcher(() => this.members, (leader) => this.setLeader(leader));
    const signal = this.signal;
    // Every container (so every etcd member: the store needs its quorum) starts at once; the first
    // member's Patroni initialises the cluster (initdb) alone, so it leads; the others' Patroni,
    // held back until then, take their base backups from it.
    const [first, ...rest] = this.members;
    signal?.throwIfAborted();
    await Promise.all(this.members.map((node) => node.start()));
    await this.waitLeader(first!.name, 120_000);
    await this.createDatabase(first!, 60_000);
    await waitWritable(first!, 60_000, signal);
    signal?.throwIfAborted();
    await Promise.all(rest.map((node) => node.releaseManager()));
    await waitStreaming(first!, rest.map((node) => node.name), this.spec.replication !== 'async', 180_000, signal);
  }

  private etcdArgs(name: string, cluster: readonly string[]): string[] {
    return etcdArguments({
      name,
      dataDir: ETCD_DATA,
      clientUrl: `http://${name}:${ETCD_CLIENT_PORT}`,
      clientListenUrl: `http://0.0.0.0:${ETCD_CLIENT_PORT}`,
      peerListenUrl: `http://0.0.0.0:${ETCD_PEER_PORT}`,
      peerUrl: `http://${name}:${ETCD_PEER_PORT}`,
      cluster,
      token: this.scope,
    });
  }

  private configFor(name: string, names: readonly string[]): Record<string, unknown> {
    const others = names.filter((n) => n !== name);
    return patroniConfig(
      {
        scope: this.scope,
        name,
        restPort: REST_PORT,
        restAdvertisedPort: REST_PORT,
        pgPort: PG_PORT,
        pgAdvertisedPort: PG_PORT,
        // Its own member first, as beside a local node; the peers by name on the run's network.
        etcdHosts: [name, ...others].map((n) => `${n}:${ETCD_CLIENT_PORT}`),
        dataDir: PATRONI_DATA,
        socketDir: SOCKET_DIR,
        binDir: '/usr/lib/postgresql/15/bin',
        pgpass: '/var/lib/postgresql/patroni-pgpass',
        password: this.provider.password,
        // Inside the node's own namespace; Docker publishes PostgreSQL and the REST API on 127.0.0.1 only.
        listenHost: '0.0.0.0',
        advertisedHost: name,
        pgHba: CONTAINER_HBA.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')),
      },
      { patroni: this.spec.failover.patroni, replication: this.spec.replication, syncCount: this.spec.syncCount, settings: this.spec.settings },
    );
  }

  /**
   * Patroni's initdb makes the superuser (faultline) but not the run's database: made on the
   * leader, replicated to the rest. /primary answers 200 as soon as Patroni has asked for the
   * promotion, so this retries until the server takes writes.
   */
  private async createDatabase(leader: ContainerPatroniNode, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.signal?.throwIfAborted();
      try {
        return await this.tryCreateDatabase(leader);
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`could not create the run's database on ${leader.name}: ${(error as Error).message} (log ${leader.logPath})`);
        await sleep(200);
      }
    }
  }

  private async tryCreateDatabase(leader: ContainerPatroniNode): Promise<void> {
    const client = new pg.Client({ ...leader.adminConfig(), database: 'postgres', connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query('SET synchronous_commit = local');
      await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    } finally {
      await client.end().catch(() => {});
    }
  }

  private async waitLeader(name: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.signal?.throwIfAborted();
      if ((await this.watcher!.poll()).includes(name)) return;
      await sleep(200);
    }
    throw new Error(`Patroni did not make ${name} the leader within ${timeoutMs / 1000} s (log ${this.node(name).logPath})`);
  }

  private setLeader(name: string): void {
    for (const node of this.members) node.role = node.name === name ? 'primary' : 'replica';
  }

  observe(sink: EventSink, now: () => number): void {
    this.roles = new RoleSampler(() => this.members.map(serverView), sink, now);
    this.roles.start();
    this.watcher?.start(sink, now);
  }

  primary(): ContainerPatroniNode {
    const primary = this.members.find((node) => node.role === 'primary');
    if (!primary) throw new Error('the topology has no primary now');
    return primary;
  }

  writeCandidates(): readonly ContainerPatroniNode[] {
    return [this.primary()];
  }

  readNodes(): readonly ContainerPatroniNode[] {
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

  nodesNow(): NodeSnapshot[] {
    return snapshotsOf(this.members);
  }

  node(name: string): ContainerPatroniNode {
    return memberNamed(this.members, name);
  }

  links() {
    return this.net.links();
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

  nodePart(name: string, part: NodePart): PartControl {
    return this.node(name).part(part);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.watcher?.stop();
    await this.roles?.stop();
    await this.network?.[Symbol.asyncDispose]();
    // The provider removes the containers (with their volumes) and the run's network.
  }
}
