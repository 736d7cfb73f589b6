import type pg from 'pg';
import type { Endpoint, NodeRole, NodeState } from '../../topology.ts';
import { renderSettings, type PgSettings } from '../local/pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import { slotName } from '../single-leader/replication-settings.ts';
import type { PgContainer } from './pg-container.ts';
import {
  CONFIG_PATH,
  containerServerSettings,
  copyOrder,
  COPY_PATH,
  PASSFILE,
  PG_PORT,
  ROLE_PATH,
  type ContainerFile,
} from './pg-container-files.ts';

export { PG_PORT } from './pg-container-files.ts';

export interface ContainerPgNodeOptions {
  readonly name: string;
  readonly role: NodeRole;
  readonly region?: string | undefined;
  /** The Docker host, where published ports listen (127.0.0.1 for an engine on this machine). */
  readonly host: string;
  /** The host port Docker publishes the server on: fixed for the run, so it survives restarts. */
  readonly port: number;
  readonly logPath: string;
  readonly password: string;
  /** Creates and starts the container with these files in it (config, role, copy order). */
  readonly launch: (files: readonly ContainerFile[]) => Promise<PgContainer>;
}

/**
 * One PostgreSQL server in its own container, with the local node's API: its configuration,
 * standby marker and copy orders are files the container's boot script reads; kill, stop and
 * pause are Docker's. Files written before the first start go in with the container.
 */
export class ContainerPgNode implements PgServerNode {
  readonly provider = 'containers';
  readonly name: string;
  readonly port: number;
  role: NodeRole;
  region: string | undefined;
  clientPort: number;
  private container: PgContainer | undefined;
  private currentState: NodeState = 'created';
  private offRunNetwork = false;
  private readonly pending = new Map<string, ContainerFile>();

  constructor(private readonly options: ContainerPgNodeOptions) {
    this.name = options.name;
    this.port = options.port;
    this.role = options.role;
    this.region = options.region;
    this.clientPort = options.port;
    // Until a topology configures it: a primary with the settings the server needs to run.
    this.pending.set(CONFIG_PATH, configFile(renderSettings(containerServerSettings())));
    this.pending.set(ROLE_PATH, roleFile(false));
  }

  get state(): NodeState {
    return this.currentState;
  }
  get logPath(): string {
    return this.options.logPath;
  }
  get passfile(): string {
    return PASSFILE;
  }
  private get host(): string {
    return this.options.host;
  }

  endpoint(): Endpoint {
    return { host: this.host, port: this.clientPort, user: TEMPLATE_USER, password: this.options.password, database: TEMPLATE_DATABASE };
  }

  /** The published port itself, never a client link: the harness's path survives client faults and peer cuts. */
  adminConfig(): pg.ClientConfig {
    return { host: this.host, port: this.port, user: TEMPLATE_USER, password: this.options.password, database: TEMPLATE_DATABASE };
  }

  selfAddress(): { host: string; port: number } {
    return { host: this.name, port: PG_PORT };
  }

  serverSettings(): PgSettings {
    return containerServerSettings();
  }

  private async write(file: ContainerFile): Promise<void> {
    if (this.container) await this.container.writeFiles([file]);
    else this.pending.set(file.path, file);
  }

  writeConfig(...layers: PgSettings[]): Promise<void> {
    return this.write(configFile(renderSettings(...layers)));
  }

  setStandby(standby: boolean): Promise<void> {
    return this.write(roleFile(standby));
  }

  /** Its first boot takes a base backup of `source` over the run's network, on its own slot. */
  async initStandbyFrom(source: PgServerNode): Promise<void> {
    if (this.container) return;
    await this.write({ path: COPY_PATH, content: copyOrder('basebackup', slotName(this.name), peerOf(this, source)), mode: 0o644 });
  }

  /** The rewind runs at the next boot, inside the container, before the server starts. */
  async resyncFrom(source: PgServerNode): Promise<'at-next-start'> {
    await this.write({ path: COPY_PATH, content: copyOrder('rewind', slotName(this.name), peerOf(this, source)), mode: 0o644 });
    return 'at-next-start';
  }

  async start(): Promise<void> {
    if (this.currentState === 'running' || this.currentState === 'paused') return;
    if (this.container) await this.container.start();
    else {
      this.container = await this.options.launch([...this.pending.values()]);
      this.pending.clear();
    }
    this.currentState = 'running';
  }

  async stop(): Promise<void> {
    if (!this.container || this.currentState === 'stopped' || this.currentState === 'killed') return;
    if (this.currentState === 'paused') await this.resume();
    await this.container.stop();
    this.currentState = 'stopped';
  }

  /** docker kill: SIGKILL to the postmaster (PID 1), and the container's every process dies with it. */
  async kill(): Promise<void> {
    if (!this.container || this.currentState === 'stopped' || this.currentState === 'killed') return;
    await this.container.kill();
    this.currentState = 'killed';
  }

  /** docker pause: the cgroup freezer stops every process, as SIGSTOP to the tree does locally. */
  async pause(): Promise<void> {
    if (!this.container || this.currentState !== 'running') return;
    await this.container.pause();
    this.currentState = 'paused';
  }

  async resume(): Promise<void> {
    if (!this.container || this.currentState !== 'paused') return;
    await this.container.unpause();
    this.currentState = 'running';
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** A partition between this node and all of its peers: off the run's network, or back on it. */
  async setPeersCut(cut: boolean): Promise<void> {
    if (!this.container || this.offRunNetwork === cut) return;
    await this.container.setOnRunNetwork(!cut);
    this.offRunNetwork = cut;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // A frozen container cannot stop cleanly; at teardown nothing is left to protect anyway.
    if (this.currentState === 'paused') await this.kill().catch(() => {});
    const container = this.container;
    this.container = undefined;
    this.currentState = 'stopped';
    // Removed with its anonymous volume (the data directory); Ryuk removes it anyway if the harness dies first.
    await container?.remove();
  }
}

function configFile(content: string): ContainerFile {
  return { path: CONFIG_PATH, content, mode: 0o644 };
}

function roleFile(standby: boolean): ContainerFile {
  return { path: ROLE_PATH, content: standby ? 'standby\n' : 'primary\n', mode: 0o644 };
}

function peerOf(node: ContainerPgNode, source: PgServerNode): string {
  if (source.provider !== 'containers') throw new Error(`${node.name} can only copy from a container of its run, not ${source.name} (${source.provider})`);
  return source.name;
}
