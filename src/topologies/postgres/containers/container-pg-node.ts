import type pg from 'pg';
import type { CpuSource, Endpoint, NodeRole, NodeState } from '../../topology.ts';
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
  RULES_PATH,
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
  /** Its static address on the run's network, which partition rules name. */
  readonly address: string;
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
  readonly address: string;
  role: NodeRole;
  region: string | undefined;
  clientPort: number;
  private container: PgContainer | undefined;
  private currentState: NodeState = 'created';
  private starting: Promise<void> | undefined;
  /**
   * Set by the run's network: told when the node's network namespace is new (its container
   * started) or runs commands again (resumed), so its partition rules are put back at once.
   */
  namespaceListener: ((fresh: boolean) => Promise<void>) | undefined;
  private readonly pending = new Map<string, ContainerFile>();
  /** The layers of the config last written: the first boot may need to leave one setting out. */
  private layers: PgSettings[] = [containerServerSettings()];

  constructor(private readonly options: ContainerPgNodeOptions) {
    this.name = options.name;
    this.port = options.port;
    this.address = options.address;
    this.role = options.role;
    this.region = options.region;
    this.clientPort = options.port;
    // Until a topology configures it: a primary with the settings the server needs to run.
    this.pending.set(CONFIG_PATH, configFile(renderSettings(...this.layers)));
    this.pending.set(ROLE_PATH, roleFile(false));
  }

  get state(): NodeState {
    return this.currentState;
  }
  cpuSource(): CpuSource | undefined {
    const id = this.container?.id;
    return id === undefined ? undefined : { kind: 'container', id };
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
    this.layers = layers;
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
    // A second start while the first boots (the final heal and a rejoin at once) waits on that
    // boot: Docker answers a second start of a starting container with HTTP 304.
    this.starting ??= this.boot().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async boot(): Promise<void> {
    if (this.container) await this.container.start();
    else await this.firstStart();
    this.currentState = 'running';
    await this.namespaceListener?.(true);
  }

  /**
   * The first boot of an empty data directory runs the image's initdb and a temporary server that
   * creates the database: with synchronous_standby_names set, that CREATE DATABASE waits forever
   * for standbys that cannot exist yet. So the first boot goes without it, and the real config is
   * put in and reloaded once the server is up (as a local primary has it from its first start).
   */
  private async firstStart(): Promise<void> {
    const config = configFile(renderSettings(...this.layers));
    const merged: PgSettings = Object.assign({}, ...this.layers);
    const synchronous = String(merged.synchronous_standby_names ?? '') !== '';
    const files = new Map(this.pending);
    if (synchronous) files.set(CONFIG_PATH, configFile(renderSettings(...this.layers, { synchronous_standby_names: '' })));
    this.pending.clear();
    this.container = await this.options.launch([...files.values()]);
    if (synchronous) {
      await this.container.writeFiles([config]);
      // SIGHUP to the postmaster (PID 1): what pg_reload_conf() does, with no login needed.
      const reloaded = await this.container.exec(['kill', '-HUP', '1']);
      if (reloaded?.exitCode !== 0) throw new Error(`${this.name}: could not reload its config after the first boot (${reloaded?.output.trim() ?? 'not running'})`);
    }
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
    await this.namespaceListener?.(false);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Runs a command in the node's container; undefined when it runs nothing now (not started, paused, down). */
  async exec(command: readonly string[]): Promise<{ exitCode: number; output: string } | undefined> {
    return this.container?.exec(command);
  }

  /**
   * Partition rules (an nftables script) for the node's own network namespace: loaded now when the
   * container runs, and kept in it, where the boot script loads them before the server starts
   * again (after a kill or stop); then its shaping (a tc script). 'kept': the container runs
   * nothing now (paused, down).
   */
  async applyRules(ruleset: string, shaping = ''): Promise<'applied' | 'kept' | { failed: string }> {
    const file: ContainerFile = { path: RULES_PATH, content: ruleset, mode: 0o644 };
    if (!this.container) {
      this.pending.set(RULES_PATH, file);
      return 'kept';
    }
    // Written where the boot script finds it, then loaded, then the shaping (tc) run; exec has no
    // stdin, so the scripts are arguments. Shaping is not kept for the next boot: the network
    // runs it again once the container is up (namespaceListener).
    const result = await this.container.exec(['sh', '-c', 'printf "%s" "$1" > "$2" && nft -f "$2" && sh -c "$3"', 'faultline-rules', ruleset, RULES_PATH, shaping]);
    if (result === undefined) {
      await this.container.writeFiles([file]);
      return 'kept';
    }
    return result.exitCode === 0 ? 'applied' : { failed: `nft exited ${result.exitCode}: ${result.output.trim().split('\n').slice(-2).join(' ')}` };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // A frozen container cannot stop cleanly; at teardown nothing is left to protect anyway.
    if (this.currentState === 'paused') await this.kill().catch(() => {});
    const container = this.container;
    this.container = undefined;
    this.currentState = 'stopped';
    // Removed with its anonymous volume (the data directory); the run's watchdog removes it anyway if the harness dies first.
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
