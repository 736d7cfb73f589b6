import type { CpuSource, NodeRole, NodeState } from '../../topology.ts';
import type { ContainerPgNode } from '../containers/container-pg-node.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import { signalCommand, startCommand, type ContainerPart } from './patroni-container.ts';
import { ManagedPgNode } from './managed-pg-node.ts';
import type { PartControl } from './patroni-cluster.ts';
import type { NodePart } from './patroni-node.ts';

// One node of a containerised Patroni cluster: its container (ContainerPgNode: docker kill,
// pause, start, the namespace's partition rules) with etcd, Patroni and PostgreSQL in it. The
// node as a whole is its container; `part: manager | store` acts on one process inside it.

type PartState = 'running' | 'killed' | 'paused';

export class ContainerPatroniNode extends ManagedPgNode<ContainerPgNode> implements PgServerNode {
  readonly provider = 'containers';
  private readonly parts: Record<ContainerPart, PartState> = { patroni: 'running', etcd: 'running' };

  constructor(
    readonly pg: ContainerPgNode,
    /** Where the harness reaches the REST API: published on 127.0.0.1. */
    readonly restPort: number,
  ) {
    super();
  }

  get address(): string {
    return this.pg.address;
  }
  get role(): NodeRole {
    return this.pg.role;
  }
  /** Set from what Patroni's REST API says; the harness never decides roles here. */
  set role(role: NodeRole) {
    this.pg.role = role;
  }

  /** The node as a whole: its container, and within a running one its manager (a killed Patroni: killed). */
  get state(): NodeState {
    const container = this.pg.state;
    if (container !== 'running') return container;
    return this.parts.patroni;
  }
  /** The PostgreSQL server alone: it runs on whenever the container does (a manager kill leaves it up). */
  get serverState(): NodeState {
    return this.pg.state;
  }

  cpuSource(): CpuSource | undefined {
    return this.pg.cpuSource();
  }

  /** The container's first start or a start after kill/stop (its boot script starts etcd and Patroni); a killed manager alone is started again. */
  async start(): Promise<void> {
    if (this.pg.state === 'running') {
      if (this.parts.patroni === 'paused') return this.resume();
      if (this.parts.patroni === 'killed') await this.startPart('patroni');
      return;
    }
    if (this.pg.state === 'paused') return this.resume();
    await this.pg.start();
    this.parts.patroni = 'running';
    this.parts.etcd = 'running';
  }

  /** After a first start with Patroni held back (only etcd runs): starts Patroni now. */
  releaseManager(): Promise<void> {
    return this.startPart('patroni');
  }

  /** docker kill: etcd, Patroni, the postmaster and every backend die at once. */
  kill(): Promise<void> {
    return this.pg.kill();
  }
  /** docker stop: the boot script has Patroni stop its server and give up the leader key. */
  stop(): Promise<void> {
    return this.pg.stop();
  }
  /** docker pause: the freezer stops every process of the node. */
  pause(): Promise<void> {
    return this.pg.pause();
  }
  async resume(): Promise<void> {
    if (this.pg.state === 'paused') await this.pg.resume();
    for (const part of ['patroni', 'etcd'] as const) if (this.parts[part] === 'paused') await this.signalPart(part, 'CONT');
  }
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async signalPart(part: ContainerPart, signal: 'KILL' | 'STOP' | 'CONT'): Promise<void> {
    const result = await this.pg.exec(signalCommand(part, signal));
    if (result === undefined) throw new Error(`${this.name}: its container runs nothing now (${this.pg.state}), so its ${part} cannot be signalled`);
    if (result.exitCode !== 0) throw new Error(`${this.name}: kill -${signal} of its ${part} failed: ${result.output.trim().split('\n').pop() ?? ''}`);
    this.parts[part] = signal === 'KILL' ? 'killed' : signal === 'STOP' ? 'paused' : 'running';
  }

  private async startPart(part: ContainerPart): Promise<void> {
    const result = await this.pg.exec(startCommand(part));
    if (result?.exitCode !== 0) throw new Error(`${this.name}: could not start its ${part} again (${result?.output.trim() ?? this.pg.state})`);
    this.parts[part] = 'running';
  }

  /** `part: manager` (Patroni alone: its server runs on unmanaged) or `part: store` (the etcd member alone). */
  part(part: NodePart): PartControl {
    const which: ContainerPart = part === 'manager' ? 'patroni' : 'etcd';
    return {
      kill: () => this.signalPart(which, 'KILL'),
      pause: () => this.signalPart(which, 'STOP'),
      recover: async () => {
        if (this.pg.state !== 'running') return; // the node's own recovery starts everything
        if (this.parts[which] === 'paused') return this.signalPart(which, 'CONT');
        // Patroni adopts the server that ran on unmanaged (demoting it if another member leads).
        if (this.parts[which] === 'killed') await this.startPart(which);
      },
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.pg[Symbol.asyncDispose]();
  }
}
