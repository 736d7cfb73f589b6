import { Worker } from 'node:worker_threads';

// Waking an open loop's operations at their intended start, to well under a millisecond, without
// spinning. Node's timers have millisecond resolution and fire up to a millisecond early, so the
// driver used to sleep until a millisecond or two before and then spin on setImmediate: at 1,000
// arrivals a second on 32 connections the spin kept the event loop 100% busy and took 0.6 of a
// core, on the machine that runs the database too, and the run was marked harness-bound. Here
// one thread (precise-wake-thread.mjs, its protocol is written there) sleeps on a futex until
// the earliest due time and posts a message; the driver's thread resolves what is due.

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
/**
 * Woken this much before the instant and yielding on the event loop the rest of the way: the
 * thread's futex sleep overshoots by about 50 µs and the message to the driver's thread takes as
 * long again (bench/open-loop-wait.ts). Never early: the last stretch looks at the clock.
 */
export const WAKE_LEAD_MS = 0.1;
const THREAD_URL = new URL('./precise-wake-thread.mjs', import.meta.url);

interface Wait {
  readonly at: number;
  readonly resolve: () => void;
  /** Before the thread runs: the timer that stands in for it. */
  timer?: NodeJS.Timeout;
}

export class PreciseWaker {
  private readonly shared = new SharedArrayBuffer(16);
  private readonly sequence = new Int32Array(this.shared, 0, 1);
  private readonly due = new Float64Array(this.shared, 8, 1);
  private readonly worker: Worker;
  /** Pending waits: at most one per connection of the loop, so a scan beats a heap. */
  private waits: Wait[] = [];
  private closed = false;
  private markReady!: () => void;
  private online = false;
  /** Resolves once the thread runs (tens of milliseconds after the waker is made, more on a loaded machine), or the waker is closed. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor() {
    this.due[0] = Number.POSITIVE_INFINITY;
    this.worker = new Worker(THREAD_URL, { execArgv: [], name: 'faultline-waker', workerData: { shared: this.shared } });
    this.worker.once('online', () => {
      this.online = true;
      this.markReady();
    });
    this.worker.on('message', () => this.wakeDue());
    // A failed thread must not leave operations waiting: they start at once (late, and counted so).
    this.worker.on('error', () => this.close());
    this.worker.unref();
  }

  /**
   * Resolves once `ms` have passed, or at once when the waker is closed. Until the thread runs, a
   * timer stands in (a run's first arrivals must not wait for the thread to start); a timer can
   * end early by as much as the event loop's clock is stale, so callers look at the clock again
   * (waitPrecisely does). Once the thread runs, never early.
   */
  after(ms: number): Promise<void> {
    if (this.closed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const at = nowMs() + ms;
      const wait: Wait = { at, resolve };
      if (!this.online) {
        wait.timer = setTimeout(() => {
          this.waits = this.waits.filter((w) => w !== wait);
          if (this.waits.length === 0) this.worker.unref();
          resolve();
        }, Math.ceil(ms));
      }
      this.waits.push(wait);
      if (this.waits.length === 1) this.worker.ref();
      if (at < this.due[0]!) this.publish(at);
    });
  }

  /** Lets every pending wait go and ends the thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.markReady();
    this.publish(-1);
    for (const wait of this.waits) release(wait);
    this.waits = [];
    void this.worker.terminate();
  }

  private wakeDue(): void {
    if (this.closed) return;
    const now = nowMs();
    const due: Wait[] = [];
    const left: Wait[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const wait of this.waits) {
      if (wait.at <= now) due.push(wait);
      else {
        left.push(wait);
        if (wait.at < next) next = wait.at;
      }
    }
    this.waits = left;
    // The earliest first, so operations due together start in the order they were due.
    if (due.length > 1) due.sort((a, b) => a.at - b.at);
    for (const wait of due) release(wait);
    if (left.length === 0) this.worker.unref();
    // Always publish: the thread waits for the sequence to move after each wake.
    this.publish(next);
  }

  private publish(at: number): void {
    this.due[0] = at;
    Atomics.add(this.sequence, 0, 1);
    Atomics.notify(this.sequence, 0);
  }
}

function release(wait: Wait): void {
  clearTimeout(wait.timer);
  wait.resolve();
}

/**
 * Until `time` on the `now` clock, never before it: slept on the waker to WAKE_LEAD_MS before,
 * then yielded on the event loop (other callbacks run meanwhile). Ends early only once `stopped`.
 */
export async function waitPrecisely(waker: PreciseWaker, time: number, now: () => number, stopped: () => boolean = () => false): Promise<void> {
  for (let left = time - now(); left > 0 && !stopped(); left = time - now()) {
    if (left > WAKE_LEAD_MS) await waker.after(left - WAKE_LEAD_MS);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
