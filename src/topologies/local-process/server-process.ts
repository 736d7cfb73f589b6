import type { ChildProcess } from 'node:child_process';
import { signalTree } from '../../harness/process/reaper.mjs';
import type { NodeState } from '../topology.ts';

// The life of one database server run as a local process, whatever the engine: started once
// ready, stopped with the engine's own clean-shutdown signal, killed or frozen as a whole process
// tree (a crashed machine leaves no backend serving, a frozen one answers nothing).

export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

export function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export class ServerProcess {
  private current: NodeState = 'created';
  private child: ChildProcess | undefined;

  /** shutdown: the signal that makes the server shut down cleanly (postgres: SIGINT, mongod: SIGTERM). */
  private starting: Promise<void> | undefined;

  constructor(private readonly shutdown: NodeJS.Signals) {}

  get state(): NodeState {
    return this.current;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the server and returns once `ready` says it serves; a running or frozen server is left alone. */
  async start(spawnServer: () => ChildProcess, ready: (child: ChildProcess) => Promise<void>): Promise<void> {
    if (this.current === 'running' || this.current === 'paused') return;
    // A second start while the first boots (a heal and a rejoin at once) waits on that boot: a
    // second server on the same data directory would only fail on its lock file.
    this.starting ??= this.boot(spawnServer, ready).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async boot(spawnServer: () => ChildProcess, ready: (child: ChildProcess) => Promise<void>): Promise<void> {
    const child = spawnServer();
    this.child = child;
    await ready(child);
    this.current = 'running';
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.current === 'stopped' || this.current === 'killed') return;
    if (this.current === 'paused') await this.resume();
    child.kill(this.shutdown);
    if (!(await waitExit(child, 30_000))) await this.kill();
    this.current = 'stopped';
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || this.current === 'stopped' || this.current === 'killed') return;
    signalTree(child.pid, 'SIGKILL');
    await waitExit(child, 10_000);
    this.current = 'killed';
  }

  async pause(): Promise<void> {
    if (!this.child?.pid || this.current !== 'running') return;
    signalTree(this.child.pid, 'SIGSTOP');
    this.current = 'paused';
  }

  async resume(): Promise<void> {
    if (!this.child?.pid || this.current !== 'paused') return;
    signalTree(this.child.pid, 'SIGCONT');
    this.current = 'running';
  }

  /** At teardown: a frozen server cannot shut down cleanly, and nothing is left to protect anyway. */
  async dispose(): Promise<void> {
    if (this.current === 'paused') await this.kill();
    await this.stop();
  }
}
