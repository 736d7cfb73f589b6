import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { NodeRole } from '../../topology.ts';
import type { PgServerProvider } from '../pg-server-node.ts';
import { LocalPgNode } from './local-pg-node.ts';
import { findPgBinaries, type PgBinaries } from './pg-binaries.ts';
import { copyTemplate, pgTemplate, TEMPLATE_USER } from './pg-template.ts';
import { newPassword } from '../../credentials/scram-verifier.ts';
import { giveToServer, serverUser, type ServerUser } from './server-user.ts';

/**
 * Creates PostgreSQL nodes as local processes inside a run's sandbox: own port, data directory,
 * private socket directory and log each, all from the cached template, one password per run.
 */
export class LocalPgProvider implements PgServerProvider<LocalPgNode> {
  readonly kind = 'local';
  readonly password = newPassword();
  private readonly created: LocalPgNode[] = [];

  private constructor(
    readonly bin: PgBinaries,
    readonly user: ServerUser,
    private readonly template: string,
    private readonly sandbox: RunSandbox,
  ) {}

  static async create(sandbox: RunSandbox, binDir?: string): Promise<LocalPgProvider> {
    const bin = await findPgBinaries(binDir);
    const user = serverUser();
    return new LocalPgProvider(bin, user, await pgTemplate(bin, user), sandbox);
  }

  get nodes(): readonly LocalPgNode[] {
    return this.created;
  }

  get engineVersion(): string {
    return `PostgreSQL ${this.bin.version}`;
  }

  async createNode(name: string, role: NodeRole, region?: string): Promise<LocalPgNode> {
    // nodes/ must stay traversable by the server user; each node's own directory is private.
    await mkdir(join(this.sandbox.dir, 'nodes'), { recursive: true, mode: 0o711 });
    const dir = join(this.sandbox.dir, 'nodes', name);
    await mkdir(dir, { mode: 0o700 });
    const sock = join(dir, 'sock');
    await mkdir(sock, { mode: 0o700 });
    const pgpass = join(dir, 'pgpass');
    await writeFile(pgpass, `127.0.0.1:*:*:${TEMPLATE_USER}:${this.password}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'postgres.log'), '', { mode: 0o600 });
    await giveToServer(this.user, dir, sock, pgpass, join(dir, 'postgres.log'));
    await copyTemplate(this.template, join(dir, 'data'));
    const node = new LocalPgNode({
      name,
      role,
      port: await this.sandbox.allocatePort(),
      dir,
      bin: this.bin,
      user: this.user,
      sandbox: this.sandbox,
      password: this.password,
      region,
    });
    this.created.push(node);
    return node;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.allSettled(this.created.map((node) => node[Symbol.asyncDispose]()));
  }
}
