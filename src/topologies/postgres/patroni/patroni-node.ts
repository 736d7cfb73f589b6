import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalTree } from '../../../harness/process/reaper.mjs';
import { waitExit } from '../../local-process/server-process.ts';
import type { NodeRole, NodeState } from '../../topology.ts';
import type { LocalPgNode } from '../local/local-pg-node.ts';
import { asServer, giveToServer, type ServerUser } from '../local/server-user.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import type { EtcdMember } from './etcd-member.ts';
import { restGet, type PatroniStatus } from './patroni-rest.ts';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { EngineError } from '../../../harness/output/errors.ts';
import { ManagedPgNode } from './managed-pg-node.ts';

// One database node under Patroni: a Patroni process that starts, stops, promotes and rewinds
// its PostgreSQL, and the etcd member beside it. The postmaster is not Patroni's child (Patroni
// starts it detached), so a crash of the node is a SIGKILL of Patroni's tree AND of the postmaster
// named in postmaster.pid; killing Patroni alone leaves an unmanaged server running, which is a
// fault of its own (`part: manager`).

export type NodePart = 'manager' | 'store';

export interface PatroniNodeOptions {
  readonly pg: LocalPgNode;
  readonly etcd: EtcdMember;
  readonly restPort: number;
  readonly configPath: string;
  readonly patroniBinary: string;
  readonly user: ServerUser;
  readonly sandbox: RunSandbox;
}

export class PatroniNode extends ManagedPgNode<LocalPgNode> implements PgServerNode {
  readonly provider = 'local';
  private patroni: ChildProcess | undefined;
  private managerState: NodeState = 'created';
  private serverPaused = false;
  private currentRole: NodeRole;

  constructor(private readonly options: PatroniNodeOptions) {
    super();
    this.currentRole = options.pg.role;
  }

  get pg(): LocalPgNode {
    return this.options.pg;
  }
  get etcd(): EtcdMember {
    return this.options.etcd;
  }
  get restPort(): number {
    return this.options.restPort;
  }
  get role(): NodeRole {
    return this.currentRole;
  }
  /** Set from what Patroni's REST API says; the harness never decides roles here. */
  set role(role: NodeRole) {
    this.currentRole = role;
  }
  get dataDir(): string {
    return this.pg.dataDir;
  }

  /** The node as a whole: running while Patroni runs (a killed node is Patroni and its server down). */
  get state(): NodeState {
    if (this.managerState === 'running' && this.serverPaused) return 'paused';
    return this.managerState;
  }
  /** The PostgreSQL server alone, whatever its manager does. */
  get serverState(): NodeState {
    if (this.serverPaused) return 'paused';
    return this.postmasterPid() === undefined ? 'killed' : 'running';
  }
  get managerRunning(): boolean {
    return this.managerState === 'running';
  }

  async writePatroniConfig(config: Record<string, unknown>): Promise<void> {
    await writeFile(this.options.configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await giveToServer(this.options.user, this.options.configPath);
  }

  /** The postmaster Patroni started, from postmaster.pid, when it is alive and names this data directory. */
  postmasterPid(): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (!(pid > 0)) return undefined;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      return cmdline.includes(this.dataDir) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** Starts Patroni (which starts PostgreSQL as leader or replica) and waits until its server runs. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.managerState === 'paused') return this.resume();
    if (this.managerState === 'running') return;
    signal?.throwIfAborted();
    this.spawnPatroni();
    await this.waitServerRunning(120_000, signal);
  }

  /** Patroni alone; it adopts a server that still runs, or starts one. */
  spawnPatroni(): void {
    const log = openSync(this.logPath, 'a');
    try {
      this.patroni = spawn(this.options.patroniBinary, [this.options.configPath], {
        ...asServer(this.options.user),
        detached: true,
        stdio: ['ignore', log, log],
        cwd: join(this.options.configPath, '..'),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(this.options.configPath, '..'), LANG: 'C.UTF-8', PGTZ: 'UTC' },
      });
    } finally {
      closeSync(log);
    }
    this.patroni.unref();
    this.patroni.on('error', () => {});
    if (this.patroni.pid) void this.options.sandbox.registerPid(this.patroni.pid, this.options.configPath);
    this.managerState = 'running';
    this.serverPaused = false;
  }

  /** Until Patroni says its PostgreSQL is running (as leader or replica). */
  async waitServerRunning(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      signal?.throwIfAborted();
      const child = this.patroni;
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new EngineError(`Patroni of ${this.name} exited (log ${this.logPath})`);
      }
      const status = await restGet<PatroniStatus>(this.restPort, '/patroni');
      if (status?.body.state === 'running') return;
      await sleep(200);
    }
    throw new EngineError(`Patroni of ${this.name} did not run its server within ${timeoutMs / 1000} s (log ${this.logPath})`);
  }

  /** Graceful: Patroni stops its server (fast) and exits, giving up the leader key. */
  async stop(): Promise<void> {
    if (this.managerState === 'paused') await this.resume();
    const child = this.patroni;
    if (!child || this.managerState !== 'running') return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, 60_000))) await this.kill();
    this.managerState = 'stopped';
  }

  /** A crash of the node: Patroni's tree, then the postmaster's (Patroni cannot restart it meanwhile). */
  async kill(): Promise<void> {
    await this.killManager();
    const postmaster = this.postmasterPid();
    if (postmaster) signalTree(postmaster, 'SIGKILL');
    this.serverPaused = false;
  }

  /** Patroni alone: its server runs on without a manager. */
  async killManager(): Promise<void> {
    const child = this.patroni;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      signalTree(child.pid, 'SIGKILL');
      await waitExit(child, 10_000);
    }
    if (this.managerState !== 'stopped') this.managerState = 'killed';
  }

  async pause(): Promise<void> {
    if (this.managerState !== 'running') return;
    await this.pauseManager();
    const postmaster = this.postmasterPid();
    if (postmaster) signalTree(postmaster, 'SIGSTOP');
    this.serverPaused = true;
  }

  async pauseManager(): Promise<void> {
    if (!this.patroni?.pid || this.managerState !== 'running') return;
    signalTree(this.patroni.pid, 'SIGSTOP');
    this.managerState = 'paused';
  }

  async resume(): Promise<void> {
    if (this.serverPaused) {
      const postmaster = this.postmasterPid();
      if (postmaster) signalTree(postmaster, 'SIGCONT');
      this.serverPaused = false;
    }
    if (this.patroni?.pid && this.managerState === 'paused') {
      signalTree(this.patroni.pid, 'SIGCONT');
      this.managerState = 'running';
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** At teardown: everything of the node dies at once (the run's results are already read). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill();
    await waitGone(() => this.postmasterPid(), 10_000);
    this.managerState = 'stopped';
  }
}

async function waitGone(pid: () => number | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pid() !== undefined && Date.now() < deadline) await sleep(50);
}
