import { createWriteStream, type WriteStream } from 'node:fs';
import { historyLine } from './history-line.ts';
import { NO_SERIALIZERS, type ValueSerializers } from './value-serializers.ts';
import type { CompletionEvent, HistoryEvent, InvokeEvent } from './history-types.ts';

// The history goes to disk as JSON lines while the run goes on, so memory stays flat however
// long the run. Lines are batched: one stream write per batch keeps recording in the
// sub-microsecond range (bench/recording-cost measures it).
const BATCH_CHARS = 64 * 1024;

export class HistoryWriter implements AsyncDisposable {
  // One growing string (V8 concatenates in O(1) with ropes) rather than an array to join.
  private batch = '';
  private readonly stream: WriteStream;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly serializers: ValueSerializers = NO_SERIALIZERS,
  ) {
    this.stream = createWriteStream(path, { flags: 'a', highWaterMark: 1 << 20 });
  }

  append(event: HistoryEvent): void {
    if (this.closed) return;
    this.batch += `${historyLine(event, this.serializers)}\n`;
    if (this.batch.length >= BATCH_CHARS) this.flush();
  }

  invoke(event: InvokeEvent): void {
    this.append(event);
  }

  complete(event: CompletionEvent): void {
    this.append(event);
  }

  flush(): void {
    if (this.batch.length === 0) return;
    this.stream.write(this.batch);
    this.batch = '';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
