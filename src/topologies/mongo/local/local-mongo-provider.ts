import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { newPassword } from '../../credentials/scram-verifier.ts';
import { adminCommand } from '../admin/with-mongo-client.ts';
import type { Bootstrapper, MongoProvider } from '../mongo-node.ts';
import { LocalMongoNode } from './local-mongo-node.ts';
import { findMongoBinaries, type MongoBinaries } from './mongo-binaries.ts';
import { mongodArgs, mongosArgs, type MongodRole, type MongoParameters } from './mongod-args.ts';

/**
 * MongoDB nodes as local processes inside a run's sandbox: own port, data directory and log
 * each, one keyfile (internal authentication between members) and one password per run.
 */
export class LocalMongoProvider implements MongoProvider {
  readonly kind = 'local';
  readonly password = newPassword();
  private readonly created: LocalMongoNode[] = [];
  private keyFile: string | undefined;

  private constructor(
    readonly bin: MongoBinaries,
    private readonly sandbox: RunSandbox,
  ) {}

  static async create(sandbox: RunSandbox, binDir: string | undefined, needRouter: boolean): Promise<LocalMongoProvider> {
    return new LocalMongoProvider(await findMongoBinaries(binDir, needRouter), sandbox);
  }

  get version(): string {
    return `MongoDB ${this.bin.version}`;
  }

  get nodes(): readonly LocalMongoNode[] {
    return this.created;
  }

  private async nodeDir(name: string): Promise<{ dir: string; keyFile: string }> {
    const nodes = join(this.sandbox.dir, 'nodes');
    await mkdir(nodes, { recursive: true, mode: 0o711 });
    if (!this.keyFile) {
      this.keyFile = join(this.sandbox.dir, 'mongo-keyfile');
      // mongod refuses a keyfile readable by group or others.
      await writeFile(this.keyFile, randomBytes(512).toString('base64'), { mode: 0o400 });
    }
    const dir = join(nodes, name);
    await mkdir(join(dir, 'data'), { recursive: true, mode: 0o700 });
    return { dir, keyFile: this.keyFile };
  }

  async createMongod(name: string, replicaSet: string, role: MongodRole, settings: MongoParameters): Promise<LocalMongoNode> {
    const { dir, keyFile } = await this.nodeDir(name);
    const port = await this.sandbox.allocatePort();
    const layout = { port, dbPath: join(dir, 'data'), logPath: join(dir, 'mongod.log'), keyFile };
    return this.track(
      new LocalMongoNode({
        name,
        process: 'mongod',
        replicaSet,
        role: 'replica',
        port,
        binary: this.bin.path('mongod'),
        args: mongodArgs(layout, replicaSet, role, settings),
        logPath: layout.logPath,
        marker: layout.dbPath,
        sandbox: this.sandbox,
        password: this.password,
      }),
    );
  }

  async createMongos(name: string, configDb: string): Promise<LocalMongoNode> {
    const { dir, keyFile } = await this.nodeDir(name);
    const port = await this.sandbox.allocatePort();
    const logPath = join(dir, 'mongos.log');
    return this.track(
      new LocalMongoNode({
        name,
        process: 'mongos',
        replicaSet: undefined,
        role: 'primary',
        port,
        binary: this.bin.path('mongos'),
        args: mongosArgs(port, configDb, logPath, keyFile),
        logPath,
        marker: logPath,
        sandbox: this.sandbox,
        password: this.password,
      }),
    );
  }

  private track(node: LocalMongoNode): LocalMongoNode {
    this.created.push(node);
    return node;
  }

  /** Before the first user exists, a loopback connection may initiate and create it (the localhost exception). */
  readonly bootstrap: Bootstrapper = (node, command) => adminCommand(node.adminEndpoint(), command, false);

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.allSettled(this.created.map((node) => node[Symbol.asyncDispose]()));
  }
}
