import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { TopologyNetwork } from '../../network/topology-network.ts';
import type { ContainerPgNode } from '../containers/container-pg-node.ts';
import type { ContainerPgProvider } from '../containers/container-pg-provider.ts';
import { CONTAINER_HBA, PG_PORT, SOCKET_DIR } from '../containers/pg-container-files.ts';
import { TEMPLATE_DATABASE } from '../local/pg-template.ts';
import type { SingleLeaderSpec } from '../single-leader/pg-single-leader.ts';
import { waitStreaming } from '../single-leader/replication-admin.ts';
import { ContainerPatroniNode } from './container-patroni-node.ts';
import { etcdArguments } from './etcd-member.ts';
import { patroniConfig } from './patroni-config.ts';
import { ETCD_CLIENT_PORT, ETCD_DATA, ETCD_PEER_PORT, PATRONI_DATA, patroniFiles, patroniLauncher, REST_PORT } from './patroni-container.ts';
import { PatroniCluster, type PartControl } from './patroni-cluster.ts';
import type { NodePart } from './patroni-node.ts';
import { waitWritable } from './pg-patroni.ts';

/**
 * pg-single-leader with failover.mode patroni under the containers provider: one container per
 * node holding its etcd member, Patroni and the PostgreSQL Patroni runs, on the run's Docker
 * network (members reach each other by node name). The harness reads roles from the REST API
 * published on 127.0.0.1 (the same ClusterWatcher and role sampler as local processes), and never
 * promotes: faults are Docker's (kill, pause), the namespace's rules (partitions cut etcd, REST
 * and replication together), or a signal to one process (`part: manager | store`).
 */
export class PgPatroniContainers extends PatroniCluster<ContainerPatroniNode> {
  constructor(
    spec: SingleLeaderSpec,
    private readonly provider: ContainerPgProvider,
    private readonly sandbox: RunSandbox,
    private readonly makeNetwork: (nodes: readonly ContainerPgNode[]) => Promise<TopologyNetwork>,
    signal?: AbortSignal,
  ) {
    super(spec, signal);
  }

  protected async bringUp(): Promise<void> {
    const names = this.names;
    const cluster = names.map((name) => `${name}=http://${name}:${ETCD_PEER_PORT}`);
    for (const [i, name] of names.entries()) {
      const restPort = await this.sandbox.allocatePort();
      const files = () => patroniFiles(this.configFor(name, names), this.etcdArgs(name, cluster), i > 0);
      const pgNode = await this.provider.createNode(name, i === 0 ? 'primary' : 'replica', this.spec.regions?.[i], patroniLauncher(restPort, files));
      this.members.push(new ContainerPatroniNode(pgNode, restPort));
    }
    const network = await this.makeNetwork(this.members.map((m) => m.pg));
    this.network = network;
    for (const node of this.members) node.clientPort = network.portOf('clients', node.name);
    this.watchCluster();
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
    await waitStreaming(first!, rest.map((node) => node.name), this.spec.replication === 'async' ? 'none' : 'some', 180_000, signal);
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

  nodePart(name: string, part: NodePart): PartControl {
    return this.node(name).part(part);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopWatching();
    await this.network?.[Symbol.asyncDispose]();
    // The provider removes the containers (with their volumes) and the run's network.
  }
}
