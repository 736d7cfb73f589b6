import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GenericContainer, Network, Wait, type StartedNetwork } from 'testcontainers';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { NodeRole } from '../../topology.ts';
import { logTo } from '../../mongo/containers/container-runtime.ts';
import { newPassword } from '../local/scram-verifier.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';
import { ContainerPgNode, PG_PORT } from './container-pg-node.ts';

export const DEFAULT_PG_IMAGE = 'postgres';
export const DEFAULT_PG_VERSION = '15';

/** The image's environment: the run's user, password and database, SCRAM for every TCP login. */
export function pgContainerEnvironment(password: string): Record<string, string> {
  return {
    POSTGRES_USER: TEMPLATE_USER,
    POSTGRES_PASSWORD: password,
    POSTGRES_DB: TEMPLATE_DATABASE,
    POSTGRES_INITDB_ARGS: '--auth-host=scram-sha-256 --auth-local=trust',
    POSTGRES_HOST_AUTH_METHOD: 'scram-sha-256',
  };
}

/** postgres settings on the command line, as the local provider writes them to faultline.conf. */
export function pgContainerCommand(settings: Readonly<Record<string, string | number | boolean>>): string[] {
  return ['postgres', ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value)}`])];
}

// The image runs initdb on first start, then restarts the server: "ready" is logged twice.
const READY = Wait.forLogMessage(/database system is ready to accept connections/, 2);

/**
 * PostgreSQL nodes as containers (testcontainers 11): one network per run, one container per
 * node, the same DbNode API as the local provider. The topologies (single-leader, partitioned,
 * multi-leader, regional) still drive LocalPgNode's file-level operations (faultline.conf,
 * standby.signal, pg_rewind on the data directory), so they cannot use these nodes yet.
 */
export class ContainerPgProvider implements AsyncDisposable {
  readonly password = newPassword();
  private readonly created: ContainerPgNode[] = [];

  private constructor(
    readonly image: string,
    private readonly network: StartedNetwork,
    private readonly sandbox: RunSandbox,
  ) {}

  static async create(sandbox: RunSandbox, image = DEFAULT_PG_IMAGE, version = DEFAULT_PG_VERSION): Promise<ContainerPgProvider> {
    return new ContainerPgProvider(`${image}:${version}`, await new Network().start(), sandbox);
  }

  get nodes(): readonly ContainerPgNode[] {
    return this.created;
  }

  async createNode(name: string, role: NodeRole, settings: Readonly<Record<string, string | number | boolean>> = {}): Promise<ContainerPgNode> {
    const dir = join(this.sandbox.dir, 'nodes', name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const logPath = join(dir, 'postgres.log');
    const log = logTo(logPath);
    const node = new ContainerPgNode({
      name,
      role,
      logPath,
      password: this.password,
      launch: () =>
        new GenericContainer(this.image)
          .withName(`faultline-${this.sandbox.id}-${name}`.replace(/[^a-zA-Z0-9_.-]/g, '-'))
          .withNetwork(this.network)
          .withNetworkAliases(name)
          .withEnvironment(pgContainerEnvironment(this.password))
          .withCommand(pgContainerCommand(settings))
          .withExposedPorts(PG_PORT)
          .withLogConsumer(log.consumer)
          .withWaitStrategy(READY)
          .withStartupTimeout(120_000)
          .start(),
    });
    this.created.push(node);
    return node;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.allSettled(this.created.map((node) => node[Symbol.asyncDispose]()));
    await this.network.stop().catch(() => {});
  }
}
