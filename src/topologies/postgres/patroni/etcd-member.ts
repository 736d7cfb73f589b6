import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunSandbox } from '../../../harness/process/run-sandbox.ts';
import { signalTree } from '../../../harness/process/reaper.mjs';
import { waitExit } from '../../local-process/server-process.ts';
import type { NodeState } from '../../topology.ts';
import { asServer, giveToServer, type ServerUser } from '../local/server-user.ts';

// One member of the run's etcd cluster, beside one database node as production lays it out.
// Listens on 127.0.0.1 only (client and peer ports from the run's sandbox; metrics are served on
// the client port, no separate listener). The data directory sits in the node's directory, so the
// watchdog's pids file names it as the guard against pid reuse.

export interface EtcdMemberOptions {
  readonly name: string;
  /** The node's own directory; the member's data goes to etcd/ inside it. */
  readonly dir: string;
  readonly clientPort: number;
  readonly peerPort: number;
  /** Where the others reach this member's peer port (a proxy link's port, or peerPort). */
  readonly advertisedPeerPort: number;
  readonly logPath: string;
  readonly binary: string;
  readonly user: ServerUser;
  readonly sandbox: RunSandbox;
}

export interface EtcdArguments {
  readonly name: string;
  readonly dataDir: string;
  /** Where it serves clients (advertised as is). */
  readonly clientUrl: string;
  /** Where it listens for clients, when not clientUrl (0.0.0.0 inside a container). */
  readonly clientListenUrl?: string;
  /** Where it listens for peers, and where the peers reach it. */
  readonly peerListenUrl: string;
  readonly peerUrl: string;
  /** name=peerUrl of every member, itself included. */
  readonly cluster: readonly string[];
  readonly token: string;
}

/** One member's command line, the same for a local process and a member in a node's container. */
export function etcdArguments(a: EtcdArguments): string[] {
  return [
    '--name', a.name,
    '--data-dir', a.dataDir,
    '--listen-client-urls', a.clientListenUrl ?? a.clientUrl,
    '--advertise-client-urls', a.clientUrl,
    '--listen-peer-urls', a.peerListenUrl,
    '--initial-advertise-peer-urls', a.peerUrl,
    '--initial-cluster', a.cluster.join(','),
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', a.token,
    // A 2-core machine under a test suite's load misses 100 ms heartbeats; elections would flap.
    '--heartbeat-interval', '250',
    '--election-timeout', '2500',
    // A member cut off from the others would otherwise raise its term at every election timeout
    // and, when the cut heals, force the healthy leader to step down (a store outage right after
    // every partition). etcd 3.5 turns pre-vote on by default; 3.4 (Debian 12) needs the flag.
    '--pre-vote',
    '--enable-v2=false',
  ];
}

export class EtcdMember {
  private child: ChildProcess | undefined;
  private current: NodeState = 'created';

  constructor(readonly options: EtcdMemberOptions) {}

  get name(): string {
    return this.options.name;
  }
  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }
  get state(): NodeState {
    return this.current;
  }
  get dataDir(): string {
    return join(this.options.dir, 'etcd');
  }
  /** The node's log: one file per node for everything that runs on it (copied into the report). */
  get logPath(): string {
    return this.options.logPath;
  }
  get peerUrl(): string {
    return `http://127.0.0.1:${this.options.advertisedPeerPort}`;
  }

  /** Starts (or restarts on its kept data) with the whole cluster's peer URLs; does not wait for quorum. */
  async start(cluster: readonly EtcdMember[], token: string): Promise<void> {
    if (this.current === 'running' || this.current === 'paused') return;
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    await giveToServer(this.options.user, this.dataDir);
    const o = this.options;
    const args = etcdArguments({
      name: o.name,
      dataDir: this.dataDir,
      clientUrl: `http://127.0.0.1:${o.clientPort}`,
      peerListenUrl: `http://127.0.0.1:${o.peerPort}`,
      peerUrl: this.peerUrl,
      cluster: cluster.map((member) => `${member.name}=${member.peerUrl}`),
      token,
    });
    const log = openSync(this.logPath, 'a');
    try {
      this.child = spawn(o.binary, args, {
        ...asServer(o.user),
        detached: true,
        stdio: ['ignore', log, log],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: o.dir },
      });
    } finally {
      closeSync(log);
    }
    this.child.unref();
    this.child.on('error', () => {});
    if (this.child.pid) await o.sandbox.registerPid(this.child.pid, this.dataDir);
    this.current = 'running';
  }

  /** Waits until the member answers /health with a leader elected (the cluster has quorum). */
  async waitHealthy(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      signal?.throwIfAborted();
      if (this.child && (this.child.exitCode !== null || this.child.signalCode !== null)) {
        throw new Error(`etcd member ${this.name} exited during start-up (log ${this.logPath})`);
      }
      const ok = await fetch(`http://127.0.0.1:${this.options.clientPort}/health`, { signal: AbortSignal.timeout(1000) })
        .then(async (response) => response.ok && ((await response.json()) as { health?: string }).health === 'true')
        .catch(() => false);
      if (ok) return;
      await sleep(100);
    }
    throw new Error(`etcd member ${this.name} was not healthy within ${timeoutMs} ms (log ${this.logPath})`);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || this.current === 'killed' || this.current === 'stopped') return;
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

  async dispose(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    // Nothing of the store outlives the run: no clean shutdown to wait for.
    signalTree(child.pid, 'SIGKILL');
    await waitExit(child, 10_000);
    this.current = 'stopped';
  }
}
