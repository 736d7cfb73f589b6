import type { StartedTestContainer } from 'testcontainers';
import type { CpuSource, Endpoint, NodeRole, NodeState } from '../../topology.ts';
import { MONGO_DATABASE, MONGO_USER, type MongoNode, type MongoProcessKind } from '../mongo-node.ts';
import { dockerConnect, dockerDisconnect, dockerKill, dockerPause, dockerStop, dockerUnpause } from '../../../harness/containers/container-runtime.ts';

export const MONGO_PORT = 27017;
/** Docker's default network: containers started without one are on it, with their published ports. */
const BRIDGE = 'bridge';

export interface ContainerMongoNodeOptions {
  readonly name: string;
  readonly process: MongoProcessKind;
  readonly replicaSet: string | undefined;
  readonly role: NodeRole;
  readonly logPath: string;
  readonly password: string;
  /** The run's network, where peers reach the node by its name. */
  readonly networkId: string;
  /** Creates and starts the container on Docker's default bridge (testcontainers waits until it accepts connections). */
  readonly launch: () => Promise<StartedTestContainer>;
}

/**
 * One mongod or mongos in its own container. It sits on two networks: Docker's default bridge,
 * which carries its published port (the clients' path), and the run's network, where peers reach
 * it by its name. Taking it off one network cuts one kind of path: off the run network, its peers
 * lose it while clients still reach it, as in a partition between the primary and the others.
 * Faults are Docker's: kill (SIGKILL, the container stays), pause (cgroup freezer), stop (SIGTERM).
 */
export class ContainerMongoNode implements MongoNode {
  readonly name: string;
  readonly process: MongoProcessKind;
  readonly replicaSet: string | undefined;
  role: NodeRole;
  private container: StartedTestContainer | undefined;
  private currentState: NodeState = 'created';
  private starting: Promise<void> | undefined;
  private readonly cut = { peers: false, clients: false };

  constructor(private readonly options: ContainerMongoNodeOptions) {
    this.name = options.name;
    this.process = options.process;
    this.replicaSet = options.replicaSet;
    this.role = options.role;
  }

  get state(): NodeState {
    return this.currentState;
  }
  get logPath(): string {
    return this.options.logPath;
  }
  cpuSource(): CpuSource | undefined {
    return this.container ? { kind: 'container', id: this.container.getId() } : undefined;
  }

  /** The published port on the Docker host; it changes when the container restarts. */
  get port(): number {
    return this.container?.getMappedPort(MONGO_PORT) ?? 0;
  }
  private get started(): StartedTestContainer {
    if (!this.container) throw new Error(`${this.name} has not been started`);
    return this.container;
  }

  memberHost(): string {
    return `${this.name}:${MONGO_PORT}`;
  }

  endpoint(): Endpoint {
    return { host: this.container?.getHost() ?? '127.0.0.1', port: this.port, user: MONGO_USER, password: this.options.password, database: MONGO_DATABASE };
  }

  adminEndpoint(): Endpoint {
    return this.endpoint();
  }

  /** Runs a command inside the container (mongosh for the first commands, before any user exists). */
  async exec(command: string[]): Promise<{ exitCode: number; output: string }> {
    const result = await this.started.exec(command);
    return { exitCode: result.exitCode, output: result.output };
  }

  async start(): Promise<void> {
    if (this.currentState === 'running' || this.currentState === 'paused') return;
    // A second start while the first boots (a heal and a re-election at once) waits on that boot.
    this.starting ??= this.boot().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async boot(): Promise<void> {
    // A container that was killed or stopped keeps its data: restarting it is a crashed server coming back.
    if (this.container) await this.container.restart();
    else {
      this.container = await this.options.launch();
      await dockerConnect(this.container, this.options.networkId, this.name);
    }
    this.currentState = 'running';
  }

  async stop(): Promise<void> {
    if (!this.container || this.currentState === 'stopped' || this.currentState === 'killed') return;
    if (this.currentState === 'paused') await this.resume();
    await dockerStop(this.container);
    this.currentState = 'stopped';
  }

  async kill(): Promise<void> {
    if (!this.container || this.currentState === 'stopped' || this.currentState === 'killed') return;
    if (this.currentState === 'paused') await dockerUnpause(this.container);
    await dockerKill(this.container);
    this.currentState = 'killed';
  }

  async pause(): Promise<void> {
    if (!this.container || this.currentState !== 'running') return;
    await dockerPause(this.container);
    this.currentState = 'paused';
  }

  async resume(): Promise<void> {
    if (!this.container || this.currentState !== 'paused') return;
    await dockerUnpause(this.container);
    this.currentState = 'running';
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Peers: the run's network. Clients: the default bridge, which carries the published port. */
  async setCut(path: 'peers' | 'clients', cut: boolean): Promise<void> {
    if (!this.container || this.cut[path] === cut) return;
    const network = path === 'peers' ? this.options.networkId : BRIDGE;
    if (cut) await dockerDisconnect(this.container, network);
    else await dockerConnect(this.container, network, this.name);
    this.cut[path] = cut;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const container = this.container;
    this.container = undefined;
    this.currentState = 'stopped';
    if (!container) return;
    // Removed with its anonymous volumes; Ryuk removes it anyway if this process dies first.
    await container.stop({ timeout: 5_000, remove: true, removeVolumes: true }).catch(() => {});
  }
}
