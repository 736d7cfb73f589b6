import { join } from 'node:path';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { SingleLeaderSpec } from '../single-leader/pg-single-leader.ts';
import type { LocalPgProvider } from '../local/local-pg-provider.ts';
import { TEMPLATE_USER } from '../local/pg-template.ts';
import { scramVerifier } from '../../credentials/scram-verifier.ts';
import { waitStreaming, withAdmin } from '../single-leader/replication-admin.ts';
import { EtcdMember } from './etcd-member.ts';
import { findPatroniBinaries } from './patroni-binaries.ts';
import { PatroniCluster, type PartControl } from './patroni-cluster.ts';
import { patroniConfig } from './patroni-config.ts';
import { PatroniNode, type NodePart } from './patroni-node.ts';
import type { PatroniNetwork, PatroniPorts } from './patroni-network.ts';
import type { PgServerNode } from '../pg-server-node.ts';

/** /primary answers 200 as soon as Patroni has asked for the promotion; the server may still be in recovery. */
export async function waitWritable(node: PgServerNode & { readonly logPath: string }, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const writable = await withAdmin(node, async (admin) => (await admin.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]?.r === false, 5_000).catch(() => false);
    if (writable) return;
    if (Date.now() > deadline) throw new Error(`${node.name} was still read-only ${timeoutMs / 1000} s after Patroni made it the leader (log ${node.logPath})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * pg-single-leader with failover.mode patroni, on local processes: one PostgreSQL per node run by
 * Patroni, and a 3-member etcd cluster (a member beside each node) holding the leader key. The
 * harness never promotes here: it kills, pauses and cuts, and reads the roles Patroni gives
 * (REST /primary, /cluster). A killed node comes back by starting its Patroni again, which
 * rewinds or re-clones the old leader itself.
 */
export class PgPatroni extends PatroniCluster<PatroniNode> {
  private patroniNetwork: PatroniNetwork | undefined;

  constructor(
    spec: SingleLeaderSpec,
    private readonly provider: LocalPgProvider,
    private readonly sandbox: RunSandbox,
    private readonly makeNetwork: (ports: readonly PatroniPorts[]) => Promise<PatroniNetwork>,
    signal?: AbortSignal,
  ) {
    super(spec, signal);
  }

  private get net(): PatroniNetwork {
    if (!this.patroniNetwork) throw new Error('the topology has not been started');
    return this.patroniNetwork;
  }

  protected async bringUp(): Promise<void> {
    const bin = findPatroniBinaries();
    const pgNodes = await Promise.all(this.names.map((name, i) => this.provider.createNode(name, i === 0 ? 'primary' : 'replica', this.spec.regions?.[i])));
    const ports: PatroniPorts[] = [];
    for (const node of pgNodes) {
      ports.push({
        etcdPid: () => this.members.find((m) => m.name === node.name)?.etcd.pid,
        name: node.name,
        pgPort: node.port,
        restPort: await this.sandbox.allocatePort(),
        etcdClientPort: await this.sandbox.allocatePort(),
        etcdPeerPort: await this.sandbox.allocatePort(),
      });
    }
    this.patroniNetwork = await this.makeNetwork(ports);
    this.network = this.patroniNetwork;
    const dirOf = (name: string) => join(this.sandbox.dir, 'nodes', name);
    const etcd = ports.map(
      (p, i) =>
        new EtcdMember({
          name: p.name,
          logPath: pgNodes[i]!.logPath,
          dir: dirOf(p.name),
          clientPort: p.etcdClientPort,
          peerPort: p.etcdPeerPort,
          advertisedPeerPort: this.net.etcdPeerAdvertisedPort(p.name),
          binary: bin.etcd,
          user: this.provider.user,
          sandbox: this.sandbox,
        }),
    );
    this.members = pgNodes.map((pg, i) => {
      pg.clientPort = this.net.clientPort(pg.name);
      return new PatroniNode({
        pg,
        etcd: etcd[i]!,
        restPort: ports[i]!.restPort,
        configPath: join(dirOf(pg.name), 'patroni.yml'),
        patroniBinary: bin.patroni,
        user: this.provider.user,
        sandbox: this.sandbox,
      });
    });
    this.watchCluster();
    const signal = this.signal;
    signal?.throwIfAborted();
    await Promise.all(etcd.map((member) => member.start(etcd, this.scope)));
    await Promise.all(etcd.map((member) => member.waitHealthy(60_000, signal)));
    await Promise.all(this.members.map((node, i) => node.writePatroniConfig(this.configFor(node, ports[i]!))));
    // The first member takes the initialize key with the template's data and leads; the others,
    // copies of the same template, then join it as replicas (no base backup needed).
    const [first, ...rest] = this.members;
    signal?.throwIfAborted();
    await first!.start(signal);
    await this.waitLeader(first!.name, 60_000);
    await waitWritable(first!, 60_000, signal);
    await withAdmin(first!, (admin) => admin.query(`SET synchronous_commit = local; ALTER ROLE ${TEMPLATE_USER} PASSWORD '${scramVerifier(this.provider.password)}'`));
    signal?.throwIfAborted();
    await Promise.all(rest.map((node) => node.start(signal)));
    await waitStreaming(first!, rest.map((node) => node.name), this.spec.replication === 'async' ? 'none' : 'some', 120_000, signal);
  }

  private configFor(node: PatroniNode, ports: PatroniPorts): Record<string, unknown> {
    const others = this.members.filter((m) => m !== node);
    return patroniConfig(
      {
        scope: this.scope,
        name: node.name,
        restPort: ports.restPort,
        restAdvertisedPort: this.net.restAdvertisedPort(node.name),
        pgPort: ports.pgPort,
        pgAdvertisedPort: this.net.pgAdvertisedPort(node.name),
        etcdHosts: [node, ...others].map((m) => `127.0.0.1:${this.net.etcdClientPort(node.name, m.name)}`),
        dataDir: node.dataDir,
        socketDir: node.pg.socketDir,
        binDir: this.provider.bin.binDir,
        pgpass: join(node.dataDir, '..', 'patroni-pgpass'),
        password: this.provider.password,
      },
      { patroni: this.spec.failover.patroni, replication: this.spec.replication, syncCount: this.spec.syncCount, settings: this.spec.settings },
    );
  }

  /** kill / pause with `part: manager` (Patroni alone) or `part: store` (the etcd member alone). */
  nodePart(name: string, part: NodePart): PartControl {
    const node = this.node(name);
    if (part === 'store') {
      const members = this.members.map((m) => m.etcd);
      return {
        kill: () => node.etcd.kill(),
        pause: () => node.etcd.pause(),
        recover: async () => {
          if (node.etcd.state === 'paused') return node.etcd.resume();
          await node.etcd.start(members, this.scope);
        },
      };
    }
    return {
      kill: () => node.killManager(),
      pause: () => node.pauseManager(),
      recover: async () => {
        if (node.state === 'paused' && node.postmasterPid() !== undefined) return node.resume();
        if (node.managerRunning) return;
        // Patroni adopts the server that ran on unmanaged (demoting it if another member leads).
        node.spawnPatroni();
        await node.waitServerRunning(120_000);
      },
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopWatching();
    await Promise.allSettled(this.members.map((node) => node[Symbol.asyncDispose]()));
    await Promise.allSettled(this.members.map((node) => node.etcd.dispose()));
    await this.network?.[Symbol.asyncDispose]();
  }
}
