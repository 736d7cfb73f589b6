import { spawn, type ChildProcess } from 'node:child_process';
import { signalTree } from '../../../harness/process/reaper.mjs';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { Endpoint, NodeRole, NodeState } from '../../topology.ts';
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

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
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
  private currentState: NodeState = 'created';
  private child: ChildProcess | undefined;

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
    return this.currentState;
  }
  get logPath(): string {
    return this.options.logPath;
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

  async start(): Promise<void> {
    if (this.currentState === 'running' || this.currentState === 'paused') return;
    const child = spawn(this.options.binary, [...this.options.args], { detached: true, stdio: 'ignore' });
    child.unref();
    this.child = child;
    if (child.pid) await this.options.sandbox.registerPid(child.pid, this.options.marker);
    // hello needs no user: it answers as soon as the server accepts connections.
    await waitUntil(
      `${this.name} (${this.process}) accepting connections`,
      async () => {
        if (exited(child)) throw new Error(`${this.process} exited during start-up (log ${this.logPath})`);
        return withMongoClient(this.adminEndpoint(), async (client) => (await client.db('admin').command({ hello: 1 })).ok === 1, false);
      },
      60_000,
      100,
    );
    this.currentState = 'running';
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.currentState === 'stopped' || this.currentState === 'killed') return;
    if (this.currentState === 'paused') await this.resume();
    // SIGTERM is mongod's clean shutdown: it stops accepting, steps down, flushes and exits.
    child.kill('SIGTERM');
    if (!(await waitExit(child, 30_000))) await this.kill();
    this.currentState = 'stopped';
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || this.currentState === 'stopped' || this.currentState === 'killed') return;
    signalTree(child.pid, 'SIGKILL');
    await waitExit(child, 10_000);
    this.currentState = 'killed';
  }

  async pause(): Promise<void> {
    if (!this.child?.pid || this.currentState !== 'running') return;
    signalTree(this.child.pid, 'SIGSTOP');
    this.currentState = 'paused';
  }

  async resume(): Promise<void> {
    if (!this.child?.pid || this.currentState !== 'paused') return;
    signalTree(this.child.pid, 'SIGCONT');
    this.currentState = 'running';
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.currentState === 'paused') await this.kill();
    await this.stop();
  }
}
