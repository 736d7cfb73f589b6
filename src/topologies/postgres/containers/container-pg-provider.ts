import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { containerEngine, engineEndpoint, runLabels } from '../../../harness/containers/container-engine.ts';
import { createRunNetwork, type RunNetwork } from '../../../harness/containers/run-network.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import type { NodeRole } from '../../topology.ts';
import { newPassword } from '../../credentials/scram-verifier.ts';
import type { PgServerProvider } from '../pg-server-node.ts';
import { ContainerPgNode } from './container-pg-node.ts';
import { cpuPlacement, launchPgContainer, type CpuPlacement, type PgContainer, type PgContainerSpec } from './pg-container.ts';
import { resolvePgImage, type ImageRequest, type ResolvedImage } from './image/resolve-pg-image.ts';
import { fixedFiles } from './pg-container-files.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';

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
  private addresses = 0;

  private constructor(
    /** The image every node runs: its reference, local id and registry digest (results.json names them). */
    readonly resolved: ResolvedImage,
    private readonly network: RunNetwork,
    /** The Docker host, where published ports listen. */
    private readonly host: string,
    private readonly sandbox: RunSandbox,
    /** The run's Ctrl-C / SIGTERM: container starts stop waiting at once. */
    private readonly signal?: AbortSignal,
    private readonly cpu?: CpuPlacement,
  ) {}

  /** Docker on this machine: publish on 127.0.0.1 only, as local servers listen. */
  private get loopback(): boolean {
    return LOCAL_HOSTS.has(this.host);
  }

  /** The scenario's image (faultline's own when none is named), found on this machine before anything starts. */
  static async create(sandbox: RunSandbox, request: ImageRequest = {}, signal?: AbortSignal): Promise<ContainerPgProvider> {
    const resolved = await resolvePgImage(request);
    const client = await containerEngine();
    const { CgroupDriver } = (await client.container.dockerode.info()) as { CgroupDriver?: string };
    // Before anything exists on the engine: if the harness dies from here on, the watchdog removes it all by label.
    await sandbox.recordContainerEngine(engineEndpoint(client));
    const network = await createRunNetwork(client, sandbox.id, runLabels(sandbox.id));
    return new ContainerPgProvider(resolved, network, client.info.containerRuntime.host, sandbox, signal, cpuPlacement(CgroupDriver));
  }

  get nodes(): readonly ContainerPgNode[] {
    return this.created;
  }

  /** The run network's gateway: a host address only the run's containers reach (links that add distance listen there). */
  get gateway(): string {
    return this.network.gateway;
  }

  get image(): string {
    return this.resolved.ref;
  }

  get engineVersion(): string {
    return `PostgreSQL (${this.image})`;
  }

  /**
   * `launch`: how the node's container starts, when not as a plain PostgreSQL server (a node run by
   * Patroni starts its own boot script and publishes its REST API too); given the usual spec.
   */
  async createNode(name: string, role: NodeRole, region?: string, launch: (spec: PgContainerSpec) => Promise<PgContainer> = launchPgContainer): Promise<ContainerPgNode> {
    // Claimed before any await: nodes created side by side never share an address.
    const address = this.network.address(this.addresses++);
    const dir = join(this.sandbox.dir, 'nodes', name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const logPath = join(dir, 'postgres.log');
    await writeFile(logPath, '', { mode: 0o600 });
    const port = await this.sandbox.allocatePort();
    const host = this.loopback ? '127.0.0.1' : this.host;
    const node = new ContainerPgNode({
      name,
      role,
      region,
      host,
      port,
      address,
      logPath,
      password: this.password,
      launch: (files) =>
        launch({
          image: this.image,
          containerName: pgContainerName(this.sandbox.id, name),
          alias: name,
          network: this.network,
          address,
          labels: runLabels(this.sandbox.id),
          hostPort: port,
          loopback: this.loopback,
          ping: { host, port, user: TEMPLATE_USER, database: TEMPLATE_DATABASE },
          logPath,
          files: [...fixedFiles(this.password), ...files],
          signal: this.signal,
          cpu: this.loopback ? this.cpu : undefined,
        }),
    });
    this.created.push(node);
    return node;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.allSettled(this.created.map((node) => node[Symbol.asyncDispose]()));
    await this.network.remove().catch(() => {});
  }
}
