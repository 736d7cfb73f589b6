import type { StartedTestContainer } from 'testcontainers';
import { dockerKill, dockerPause, dockerStop, dockerUnpause } from '../../mongo/containers/container-runtime.ts';
import type { DbNode, Endpoint, NodeRole, NodeState } from '../../topology.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';

export const PG_PORT = 5432;

export interface ContainerPgNodeOptions {
  readonly name: string;
  readonly role: NodeRole;
  readonly logPath: string;
  readonly password: string;
  readonly launch: () => Promise<StartedTestContainer>;
}

/** One PostgreSQL server in a container: the local node's API, with Docker's kill, stop and pause. */
export class ContainerPgNode implements DbNode {
  readonly name: string;
  role: NodeRole;
  private container: StartedTestContainer | undefined;
  private currentState: NodeState = 'created';

  constructor(private readonly options: ContainerPgNodeOptions) {
    this.name = options.name;
    this.role = options.role;
  }

  get state(): NodeState {
    return this.currentState;
  }
  get logPath(): string {
    return this.options.logPath;
  }
  get port(): number {
    return this.container?.getMappedPort(PG_PORT) ?? 0;
  }

  endpoint(): Endpoint {
    return { host: this.container?.getHost() ?? '127.0.0.1', port: this.port, user: TEMPLATE_USER, password: this.options.password, database: TEMPLATE_DATABASE };
  }

  async start(): Promise<void> {
    if (this.currentState === 'running' || this.currentState === 'paused') return;
    if (this.container) await this.container.restart();
    else this.container = await this.options.launch();
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

  async [Symbol.asyncDispose](): Promise<void> {
    const container = this.container;
    this.container = undefined;
    this.currentState = 'stopped';
    await container?.stop({ timeout: 5_000, remove: true, removeVolumes: true }).catch(() => {});
  }
}
