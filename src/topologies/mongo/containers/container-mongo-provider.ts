import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BSON } from 'mongodb';
import { Wait } from 'testcontainers';
import { LoopbackContainer } from '../../../harness/containers/loopback-container.ts';
import { containerEngine, engineEndpoint, runLabels } from '../../../harness/containers/container-engine.ts';
import { createRunNetwork, type RunNetwork } from '../../../harness/containers/run-network.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { newPassword } from '../../credentials/scram-verifier.ts';
import type { MongoParameters } from '../local/mongod-args.ts';
import type { Bootstrapper, MongoProvider } from '../mongo-node.ts';
import { ContainerMongoNode, MONGO_PORT } from './container-mongo-node.ts';
import { logTo } from '../../../harness/containers/container-runtime.ts';
import { KEYFILE_SOURCE, mongodContainerCommand, mongoshEval, mongosContainerCommand } from './mongo-container-command.ts';
import { requireMongoImage } from './mongo-image.ts';

export const DEFAULT_MONGO_IMAGE = 'mongo';
export const DEFAULT_MONGO_VERSION = '8.0';

// mongod and mongos both log this line (structured JSON since 4.4) once they accept connections.
const READY = Wait.forLogMessage(/Waiting for connections/);

/**
 * MongoDB nodes as containers (testcontainers 11): one Docker network per run, one container per
 * node, reached by its name on that network; the harness uses the published ports on Docker's
 * default bridge (see ContainerMongoNode for why two networks). Containers and the network carry
 * the run's labels, so the run's watchdog removes them if the harness dies (no reaper image).
 */
export class ContainerMongoProvider implements MongoProvider {
  readonly kind = 'containers';
  readonly password = newPassword();
  private readonly keyfile = randomBytes(512).toString('base64');
  private readonly created: ContainerMongoNode[] = [];

  private constructor(
    readonly image: string,
    private readonly network: RunNetwork,
    private readonly sandbox: RunSandbox,
  ) {}

  static async create(sandbox: RunSandbox, image = DEFAULT_MONGO_IMAGE, version = DEFAULT_MONGO_VERSION): Promise<ContainerMongoProvider> {
    // No registry unless asked: a missing image is a one-line exit 2, not a failed pull.
    await requireMongoImage(`${image}:${version}`);
    const client = await containerEngine();
    // Before anything exists on the engine: if the harness dies from here on, the watchdog removes it all by label.
    await sandbox.recordContainerEngine(engineEndpoint(client));
    return new ContainerMongoProvider(`${image}:${version}`, await createRunNetwork(client, sandbox.id, runLabels(sandbox.id)), sandbox);
  }

  get version(): string {
    return `MongoDB (${this.image})`;
  }

  get nodes(): readonly ContainerMongoNode[] {
    return this.created;
  }

  private async node(name: string, process: 'mongod' | 'mongos', replicaSet: string | undefined, command: string[]): Promise<ContainerMongoNode> {
    const dir = join(this.sandbox.dir, 'nodes', name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const log = logTo(join(dir, `${process}.log`));
    const node = new ContainerMongoNode({
      name,
      process,
      replicaSet,
      role: process === 'mongos' ? 'primary' : 'replica',
      logPath: join(dir, `${process}.log`),
      password: this.password,
      networkId: this.network.id,
      launch: () =>
        new LoopbackContainer(this.image)
          .withName(`faultline-${this.sandbox.id}-${name}`.replace(/[^a-zA-Z0-9_.-]/g, '-'))
          .withLabels(runLabels(this.sandbox.id))
          .withExposedPorts(MONGO_PORT)
          .onLoopback()
          .withCopyContentToContainer([{ content: this.keyfile, target: KEYFILE_SOURCE, mode: 0o400 }])
          .withEntrypoint([])
          .withCommand(command)
          .withLogConsumer(log.consumer)
          .withWaitStrategy(READY)
          .withStartupTimeout(120_000)
          .start(),
    });
    this.created.push(node);
    return node;
  }

  createMongod(name: string, replicaSet: string, role: 'shardsvr' | 'configsvr' | 'replica', settings: MongoParameters): Promise<ContainerMongoNode> {
    return this.node(name, 'mongod', replicaSet, mongodContainerCommand(replicaSet, role, settings));
  }

  createMongos(name: string, configDb: string): Promise<ContainerMongoNode> {
    return this.node(name, 'mongos', undefined, mongosContainerCommand(configDb));
  }

  /** From the host, no connection is a localhost one: the first commands run through mongosh inside the container. */
  readonly bootstrap: Bootstrapper = async (node, command) => {
    const container = this.created.find((created) => created === node);
    if (!container) throw new Error(`${node.name} is not a container of this run`);
    const { exitCode, output } = await container.exec(mongoshEval(command));
    const answer = output.trim().split('\n').pop() ?? '';
    if (exitCode !== 0) throw new Error(`mongosh on ${node.name} exited ${exitCode}: ${answer}`);
    const parsed = BSON.EJSON.parse(answer) as Record<string, unknown>;
    if (parsed.ok !== 1) throw new Error(`${Object.keys(command)[0]} on ${node.name}: ${String(parsed.errmsg ?? answer)}`);
    return parsed;
  };

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.allSettled(this.created.map((node) => node[Symbol.asyncDispose]()));
    await this.network.remove().catch(() => {});
  }
}
