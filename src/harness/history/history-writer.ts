import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { HistoryEncoder } from './history-encoder.ts';
import type { CompletionEvent, HistoryEvent, InvokeEvent } from './history-types.ts';
import { mergeHistories } from './merge-histories.ts';

// The history goes to disk while the run goes on, so memory stays flat however long the run. The
// load driver's thread only encodes events into binary chunks (history-encoder.ts); a worker
// thread (history-worker.mjs, its message protocol is written there) appends them to a spill file
// at once and prints them as JSON lines into history.jsonl at close (during the load, only what lags
// more than 128 MB behind). Readers, checkers and exports read history.jsonl once closed.
// Load threads record into history files of their own; close() merges them into this one by time
// (mergeAtClose), so the file readers get is ordered as a single-thread run's.

const WORKER_URL = new URL('./history-worker.mjs', import.meta.url);
/** About a thousand checkout operations per chunk: one message and one write each. */
const CHUNK_BYTES = 128 * 1024;
/**
 * Chunks the worker may have outstanding (32 MB). Beyond it the driver's thread waits for the
 * worker: memory stays bounded, and a harness that records faster than it can write shows the
 * wait as event-loop delay rather than growing until it fails.
 */
const MAX_PENDING_CHUNKS = 256;
/** A slow run still reaches the file within a second (what a killed run can lose). */
const FLUSH_EVERY_MS = 1_000;

type WorkerReply = { readonly kind: 'error'; readonly message: string } | { readonly kind: 'closed'; readonly cpuMs?: number };

export interface HistoryWriterStats {
  /** Binary bytes handed to the writer thread. */
  readonly encodedBytes: number;
  readonly chunks: number;
  /** CPU the writer thread spent in all (known after close, on Linux). */
  readonly writerCpuMs: number | undefined;
}

export class HistoryWriter implements AsyncDisposable {
  private readonly encoder: HistoryEncoder;
  private readonly worker: Worker;
  /** written[0]: chunks the worker has written (shared, so it can be read while this thread waits). */
  private readonly written = new Int32Array(new SharedArrayBuffer(4));
  private posted = 0;
  private encodedBytes = 0;
  private writerCpuMs: number | undefined;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private readonly toMerge: string[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly exited: Promise<void>;

  constructor(readonly path: string) {
    // execArgv: [] so the thread does not inherit --import tsx or vitest's flags (plain JavaScript).
    this.worker = new Worker(WORKER_URL, { execArgv: [], name: 'faultline-history', workerData: { path, written: this.written.buffer } });
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        // Before close() asked it to, the thread is gone: what is recorded from now on is lost, and close() says so.
        if (!this.closing) this.failure ??= new Error(`history: the writer thread for ${path} stopped before the history was closed`);
        resolve();
      }),
    );
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'error') this.failure ??= new Error(`history: cannot write ${path}: ${reply.message}`);
    });
    this.worker.on('error', (error) => {
      this.failure ??= new Error(`history: the writer thread failed: ${error.message}`, { cause: error });
    });
    // Idle, the thread must not keep the process alive; close() references it while it waits.
    this.worker.unref();
    this.encoder = new HistoryEncoder(CHUNK_BYTES, (chunk, length) => this.post(chunk, length));
    this.timer = setInterval(() => this.encoder.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  append(event: HistoryEvent): void {
    if (this.closing) return;
    switch (event.type) {
      case 'invoke':
        this.encoder.invoke(event);
        return;
      case 'ok':
      case 'fail':
      case 'info':
        this.encoder.complete(event);
        return;
      default:
        this.encoder.raw(JSON.stringify(event));
    }
  }

  invoke(event: InvokeEvent): void {
    if (!this.closing) this.encoder.invoke(event);
  }

  complete(event: CompletionEvent): void {
    if (!this.closing) this.encoder.complete(event);
  }

  /** Hands what is recorded so far to the writer thread (it reaches the file shortly after). */
  flush(): void {
    if (!this.closing) this.encoder.flush();
  }

  /**
   * History files (each ordered by time) that close() merges into this one, then removes. A merge
   * that fails leaves them in place, so nothing recorded is lost, and close() rejects.
   */
  mergeAtClose(paths: readonly string[]): void {
    if (this.closing) throw new Error(`history: ${this.path} is closing; too late to merge ${paths.join(', ')} into it`);
    this.toMerge.push(...paths);
  }

  /** Everything recorded is in the file when this resolves; rejects when the file could not be written. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  stats(): HistoryWriterStats {
    return { encodedBytes: this.encodedBytes, chunks: this.posted, writerCpuMs: this.writerCpuMs };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async finish(): Promise<void> {
    clearInterval(this.timer);
    this.encoder.flush();
    this.worker.ref();
    const closed = new Promise<void>((resolve) => {
      this.worker.on('message', (reply: WorkerReply) => {
        if (reply.kind !== 'closed') return;
        this.writerCpuMs = reply.cpuMs;
        resolve();
      });
    });
    this.worker.postMessage({ kind: 'close' });
    // The thread exits after 'closed'; if it died before, its exit ends the wait as well.
    await Promise.race([closed, this.exited]);
    await this.exited;
    if (this.failure) throw this.failure;
    if (this.toMerge.length === 0) return;
    await mergeHistories(this.path, [this.path, ...this.toMerge]);
    await Promise.all(this.toMerge.map((path) => rm(path, { force: true })));
  }

  private post(chunk: ArrayBuffer, length: number): void {
    this.worker.postMessage({ kind: 'chunk', buffer: chunk, length }, [chunk]);
    this.posted++;
    this.encodedBytes += length;
    // Too far ahead of the thread: wait here (see MAX_PENDING_CHUNKS). Only a recording rate far
    // above any database's gets here; the wait is bounded by how fast the thread writes.
    for (let done = Atomics.load(this.written, 0); this.posted - done > MAX_PENDING_CHUNKS && !this.failure; done = Atomics.load(this.written, 0)) {
      if (Atomics.wait(this.written, 0, done, 1_000) === 'timed-out' && Atomics.load(this.written, 0) === done) break;
    }
  }
}
