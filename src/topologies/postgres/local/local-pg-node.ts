import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { ServerProcess } from '../../local-process/server-process.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { CpuSource, Endpoint, NodeRole, NodeState } from '../../topology.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import { resyncFrom } from './local-resync.ts';
import type { PgBinaries } from './pg-binaries.ts';
import { baseSettings, CONFIG_FILE, renderSettings, type PgSettings } from './pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from './pg-template.ts';
import { spawnPostmaster, waitReady } from './postmaster.ts';
import { giveToServer, type ServerUser } from './server-user.ts';

export interface LocalPgNodeOptions {
  readonly name: string;
  readonly role: NodeRole;
  readonly port: number;
  /** The node's own directory: data/, sock/, postgres.log, pgpass. */
  readonly dir: string;
  readonly bin: PgBinaries;
  readonly user: ServerUser;
  readonly sandbox: RunSandbox;
  readonly password: string;
  readonly region?: string | undefined;
}

/** One PostgreSQL server run as a local process. */
export class LocalPgNode implements PgServerNode {
  readonly provider = 'local';
  readonly name: string;
  readonly port: number;
  private currentRole: NodeRole;
  // SIGINT is postgres's "fast" shutdown: disconnect clients, checkpoint, exit.
  private readonly server = new ServerProcess('SIGINT');
  /** Where clients connect: the node's own port, or its link proxy's when faults are possible. */
  clientPort: number;
  /** The region the node runs in, when the scenario declares regions (set before the network is made). */
  region: string | undefined;

  constructor(private readonly options: LocalPgNodeOptions) {
    this.name = options.name;
    this.port = options.port;
    this.currentRole = options.role;
    this.clientPort = options.port;
    this.region = options.region;
  }

  get role(): NodeRole {
    return this.currentRole;
  }
  /** Failover changes who is primary; the topology keeps roles true. */
  set role(role: NodeRole) {
    this.currentRole = role;
  }
  get state(): NodeState {
    return this.server.state;
  }
  get dataDir(): string {
    return join(this.options.dir, 'data');
  }
  get socketDir(): string {
    return join(this.options.dir, 'sock');
  }
  get logPath(): string {
    return join(this.options.dir, 'postgres.log');
  }
  /** A libpq password file the node itself uses to reach its peers (primary_conninfo). */
  get passfile(): string {
    return join(this.options.dir, 'pgpass');
  }
  get pid(): number | undefined {
    return this.server.pid;
  }
  /** The postmaster and every backend it forked. */
  cpuSource(): CpuSource | undefined {
    const pid = this.server.pid;
    return pid === undefined ? undefined : { kind: 'process-tree', pid };
  }

  endpoint(): Endpoint {
    return {
      host: '127.0.0.1',
      port: this.clientPort,
      user: TEMPLATE_USER,
      password: this.options.password,
      database: TEMPLATE_DATABASE,
    };
  }

  selfAddress(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  serverSettings(): PgSettings {
    return baseSettings(this.port, this.socketDir);
  }

  /** Administrative connections go through the private socket: no password, no proxy. */
  adminConfig(): pg.ClientConfig {
    return { host: this.socketDir, port: this.port, user: TEMPLATE_USER, database: TEMPLATE_DATABASE };
  }

  async writeConfig(...layers: PgSettings[]): Promise<void> {
    const path = join(this.dataDir, CONFIG_FILE);
    await writeFile(path, renderSettings(...layers), { mode: 0o600 });
    await giveToServer(this.options.user, path);
  }

  async setStandby(standby: boolean): Promise<void> {
    const signal = join(this.dataDir, 'standby.signal');
    if (!standby) return rm(signal, { force: true });
    await writeFile(signal, '');
    await giveToServer(this.options.user, signal);
  }

  /** Every node is a copy of the same cleanly shut-down template: already a valid standby base. */
  async initStandbyFrom(): Promise<void> {}

  async resyncFrom(source: PgServerNode): Promise<'rewind' | 'basebackup'> {
    if (!(source instanceof LocalPgNode)) throw new Error(`${this.name} can only resync from a local node, not ${source.name} (${source.provider})`);
    return resyncFrom(this, source, this.options.bin, this.options.user);
  }

  start(): Promise<void> {
    return this.server.start(
      () => spawnPostmaster(this.options.bin, this.options.user, this.dataDir, this.logPath),
      async (child) => {
        if (child.pid) await this.options.sandbox.registerPid(child.pid, this.dataDir);
        await waitReady(child, this.dataDir, this.logPath);
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
