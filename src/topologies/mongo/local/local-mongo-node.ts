import { spawn } from 'node:child_process';
import { hasExited, ServerProcess } from '../../local-process/server-process.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { CpuSource, Endpoint, NodeRole, NodeState } from '../../topology.ts';
import { waitUntil, withMongoClient } from '../admin/with-mongo-client.ts';
import { MONGO_DATABASE, MONGO_USER, type MongoNode, type MongoProcessKind } from '../mongo-node.ts';

export interface LocalMongoNodeOptions {
  readonly name: string;
  readonly process: MongoProcessKind;
  readonly replicaSet: string | undefined;
  readonly role: NodeRole;
  readonly port: number;
  readonly binary: string;
  readonly args: readonly string[];
  readonly logPath: string;
  /** A path on the command line that names this node alone: the watchdog checks it before killing a pid. */
  readonly marker: string;
  readonly sandbox: RunSandbox;
  readonly password: string;
}

/** One mongod or mongos run as a local process, detached in its own process group. */
export class LocalMongoNode implements MongoNode {
  readonly name: string;
  readonly port: number;
  readonly process: MongoProcessKind;
  readonly replicaSet: string | undefined;
  role: NodeRole;
  /** Where clients connect: the node's own port, or its client link's when faults are possible. */
  clientPort: number;
  /** Where peers connect (the replica-set config's host): its own port, or its inbound peer link's. */
  peerPort: number;
  // SIGTERM is mongod's clean shutdown: it stops accepting, steps down, flushes and exits.
  private readonly server = new ServerProcess('SIGTERM');

  constructor(private readonly options: LocalMongoNodeOptions) {
    this.name = options.name;
    this.port = options.port;
    this.process = options.process;
    this.replicaSet = options.replicaSet;
    this.role = options.role;
    this.clientPort = options.port;
    this.peerPort = options.port;
  }

  get state(): NodeState {
    return this.server.state;
  }
  get logPath(): string {
    return this.options.logPath;
  }
  /** mongod and anything it forks. */
  cpuSource(): CpuSource | undefined {
    const pid = this.server.pid;
    return pid === undefined ? undefined : { kind: 'process-tree', pid };
  }

  memberHost(): string {
    return `127.0.0.1:${this.peerPort}`;
  }

  endpoint(): Endpoint {
    return { host: '127.0.0.1', port: this.clientPort, user: MONGO_USER, password: this.options.password, database: MONGO_DATABASE };
  }

  adminEndpoint(): Endpoint {
    return { ...this.endpoint(), port: this.port };
  }

  start(): Promise<void> {
    return this.server.start(
      () => {
        const child = spawn(this.options.binary, [...this.options.args], { detached: true, stdio: 'ignore' });
        child.unref();
        return child;
      },
      async (child) => {
        if (child.pid) await this.options.sandbox.registerPid(child.pid, this.options.marker);
        // hello needs no user: it answers as soon as the server accepts connections.
        await waitUntil(
          `${this.name} (${this.process}) accepting connections`,
          async () => {
            if (hasExited(child)) throw new Error(`${this.process} exited during start-up (log ${this.logPath})`);
            return withMongoClient(this.adminEndpoint(), async (client) => (await client.db('admin').command({ hello: 1 })).ok === 1, false);
          },
          60_000,
          100,
        );
      },
    );
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  kill(): Promise<void> {
    return this.server.kill();
  }

  pause(): Promise<void> {
    return this.server.pause();
  }

  resume(): Promise<void> {
    return this.server.resume();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.server.dispose();
  }
}
