import { Worker } from 'node:worker_threads';
import { allocatePort, releasePort } from '../process/port-allocator.ts';
import { HEALED, resolveFaults, type LinkFaults, type LinkStats, type Target } from './link-faults.ts';
import type { CallType, ProxyCalls, ProxyReply, ProxyRequest } from './link-messages.ts';

// A user-space TCP proxy with named links, Toxiproxy's model: the kernel's netem is not available
// on the machines faultline runs on. The links live in a worker thread: off the load driver's
// event loop (neither can add latency to the other), and gone with the process in every case
// (a thread cannot outlive it), so a crashed harness never leaves a proxy listening.

const WORKER_URL = new URL('./link-worker.mjs', import.meta.url);
const SHUTDOWN_TIMEOUT_MS = 5_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class LinkProxy implements AsyncDisposable {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Ports this proxy allocated (and must release); ports passed in belong to the caller. */
  private readonly ownedPorts = new Map<string, number>();
  private readonly linkNames = new Set<string>();
  private failure: Error | undefined;
  private disposed = false;
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: ProxyReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(new Error(`link proxy worker failed: ${error.message}`, { cause: error })));
    worker.once('exit', (code) => this.fail(new Error(`link proxy worker exited (code ${code})`)));
  }

  static async start(): Promise<LinkProxy> {
    // execArgv: [] so the worker does not inherit --import tsx or vitest's flags: it is plain
    // JavaScript and starts in tens of milliseconds without a loader.
    const worker = new Worker(WORKER_URL, { execArgv: [], name: 'faultline-link-proxy' });
    const proxy = new LinkProxy(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    // Idle, the worker must not keep the process alive: a proxy nobody disposed must not hang
    // the harness at exit. It is referenced only while the main thread waits for it.
    worker.unref();
    return proxy;
  }

  /**
   * Starts a link listening on 127.0.0.1:listenPort (allocated when omitted) towards target; on
   * `listenHost` instead when given: the gateway of a run's Docker network, so that its containers
   * (and nothing beyond this machine's bridge) reach the link.
   */
  async addLink(name: string, target: Target, listenPort?: number, listenHost?: string): Promise<{ port: number }> {
    if (this.linkNames.has(name)) throw new Error(`link ${name} already exists`);
    const port = listenPort ?? (await allocatePort());
    if (listenPort === undefined) this.ownedPorts.set(name, port);
    this.linkNames.add(name);
    try {
      await this.call('add-link', { name, target: { host: target.host, port: target.port }, port, ...(listenHost === undefined ? {} : { host: listenHost }) });
    } catch (error) {
      this.linkNames.delete(name);
      await this.releaseOwnedPort(name);
      throw error;
    }
    return { port };
  }

  /** Closes the link's listener and connections, and releases its port if it was allocated here. */
  async removeLink(name: string): Promise<void> {
    await this.call('remove-link', { name });
    this.linkNames.delete(name);
    await this.releaseOwnedPort(name);
  }

  /** Re-points a link (e.g. after a failover); its existing connections are closed. */
  async setTarget(name: string, target: Target): Promise<void> {
    await this.call('set-target', { name, target: { host: target.host, port: target.port } });
  }

  /** Replaces the link's whole fault state; a direction not named passes with no delay. */
  async setFaults(name: string, faults: LinkFaults): Promise<void> {
    await this.call('set-faults', { name, faults: resolveFaults(faults) });
  }

  async heal(name: string): Promise<void> {
    await this.call('set-faults', { name, faults: HEALED });
  }

  async healAll(): Promise<void> {
    await this.call('heal-all', {});
  }

  async stats(name: string): Promise<LinkStats> {
    return this.call('stats', { name });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.ref();
    let timer: NodeJS.Timeout | undefined;
    try {
      // Bounded: terminate() below closes whatever an orderly shutdown did not.
      const stuck = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_TIMEOUT_MS)));
      if (!this.failure) {
        const shutdown = this.call('shutdown', {});
        // Its late rejection (terminate() overtook it) is not an unhandled one.
        shutdown.catch(() => undefined);
        await Promise.race([shutdown, stuck]);
      }
    } finally {
      clearTimeout(timer);
      await this.worker.terminate();
      await this.exited;
      await Promise.all([...this.ownedPorts.keys()].map((name) => this.releaseOwnedPort(name)));
    }
  }

  private async releaseOwnedPort(name: string): Promise<void> {
    const port = this.ownedPorts.get(name);
    if (port === undefined) return;
    this.ownedPorts.delete(name);
    await releasePort(port);
  }

  private call<K extends CallType>(type: K, body: ProxyCalls[K]['request']): Promise<ProxyCalls[K]['reply']> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.disposed && type !== 'shutdown') return Promise.reject(new Error('link proxy is disposed'));
    const id = this.nextId++;
    const request = { ...body, type, id } as ProxyRequest;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.ref();
      this.worker.postMessage(request);
    });
  }

  private settle(reply: ProxyReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.type === 'ok') waiting.resolve(reply.value);
    else waiting.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
  }

  private fail(error: Error): void {
    // An exit after dispose is the normal end, not a failure.
    if (this.failure || (this.disposed && this.pending.size === 0)) return;
    this.failure = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
