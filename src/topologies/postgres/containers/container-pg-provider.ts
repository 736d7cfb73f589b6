import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getContainerRuntimeClient, Network, type StartedNetwork } from 'testcontainers';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { NodeRole } from '../../topology.ts';
import { newPassword } from '../local/scram-verifier.ts';
import type { PgServerProvider } from '../pg-server-node.ts';
import { ContainerPgNode } from './container-pg-node.ts';
import { launchPgContainer } from './pg-container.ts';
import { fixedFiles } from './pg-container-files.ts';

export const DEFAULT_PG_IMAGE = 'postgres';
export const DEFAULT_PG_VERSION = '15';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

/** A container name Docker accepts, unique to the run. */
export function pgContainerName(runId: string, node: string): string {
  return `faultline-${runId}-${node}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/**
 * PostgreSQL nodes as containers (testcontainers 11): one Docker network per run, where nodes
 * reach each other by name (replication, base backups, pg_rewind), one container per node, its
 * port published on a port claimed from the run's sandbox (on 127.0.0.1 when Docker runs on this
 * machine), one password per run that reaches the containers only as files.
 */
export class ContainerPgProvider implements PgServerProvider<ContainerPgNode> {
  readonly kind = 'containers';
  readonly password = newPassword();
  private readonly created: ContainerPgNode[] = [];

  private constructor(
    readonly image: string,
    private readonly network: StartedNetwork,
    /** The Docker host, where published ports listen. */
    private readonly host: string,
    private readonly sandbox: RunSandbox,
  ) {}

  /** Docker on this machine: publish on 127.0.0.1 only, as local servers listen. */
  private get loopback(): boolean {
    return LOCAL_HOSTS.has(this.host);
  }

  static async create(sandbox: RunSandbox, image = DEFAULT_PG_IMAGE, version = DEFAULT_PG_VERSION): Promise<ContainerPgProvider> {
    const client = await getContainerRuntimeClient();
    return new ContainerPgProvider(`${image}:${version}`, await new Network().start(), client.info.containerRuntime.host, sandbox);
  }

  get nodes(): readonly ContainerPgNode[] {
    return this.created;
  }

  get engineVersion(): string {
    return `PostgreSQL (${this.image})`;
  }

  async createNode(name: string, role: NodeRole, region?: string): Promise<ContainerPgNode> {
    const dir = join(this.sandbox.dir, 'nodes', name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const logPath = join(dir, 'postgres.log');
    await writeFile(logPath, '', { mode: 0o600 });
    const port = await this.sandbox.allocatePort();
    const node = new ContainerPgNode({
      name,
      role,
      region,
      host: this.loopback ? '127.0.0.1' : this.host,
      port,
      logPath,
      password: this.password,
      launch: (files) =>
        launchPgContainer({
          image: this.image,
          containerName: pgContainerName(this.sandbox.id, name),
          alias: name,
          network: this.network,
          hostPort: port,
          loopback: this.loopback,
          logPath,
          files: [...fixedFiles(this.password), ...files],
        }),
    });
    this.created.push(node);
    return node;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.allSettled(this.created.map((node) => node[Symbol.asyncDispose]()));
    await this.network.stop().catch(() => {});
  }
}
