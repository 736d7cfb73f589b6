import type { CompletionEvent, InvokeEvent } from './history-types.ts';
import {
  FLAG_ERROR,
  FLAG_INTENDED,
  FLAG_VALUE,
  INTERN_MAX_COUNT,
  INTERN_MAX_LENGTH,
  RECORD_FAIL,
  RECORD_INFO,
  RECORD_INVOKE,
  RECORD_OK,
  RECORD_RAW,
  RECORD_STRING_DEF,
  RECORD_STRING_RESET,
  VALUE_ARRAY,
  VALUE_DOUBLE,
  VALUE_FALSE,
  VALUE_INT,
  VALUE_JSON,
  VALUE_NULL,
  VALUE_OBJECT,
  VALUE_STRING,
  VALUE_STRING_INLINE,
  VALUE_STRING_NEW,
  VALUE_TRUE,
} from './history-record-format.mjs';

// Recording an operation happens on the load driver's thread, twice per operation. Printing its
// numbers (times, latency) and values as JSON was most of that cost (about 3 µs per operation,
// bench/recording-cost.ts), so this thread only copies fields into a binary chunk
// (history-record-format.mjs) and hands full chunks to the history worker thread, which prints
// the JSON lines. Values keep JSON.stringify's meaning exactly: own enumerable keys in their
// order, undefined / functions skipped in objects and null in arrays, non-finite numbers null,
// anything with toJSON or a class of its own goes through JSON.stringify itself.

const utf8 = new TextEncoder();
/** Deeper values are left to JSON.stringify (which also reports cycles as today). */
const MAX_DEPTH = 32;
/** Room kept past a chunk's nominal size, so a record rarely has to grow the buffer. */
const HEADROOM = 16 * 1024;

const COMPLETION_KIND = { ok: RECORD_OK, fail: RECORD_FAIL, info: RECORD_INFO } as const;

export class HistoryEncoder {
  private buffer!: ArrayBuffer;
  private view!: DataView;
  private bytes!: Uint8Array;
  private pos = 0;
  /** Interned strings (id = insertion order); `order` lets a failed record forget its new ones. */
  private readonly strings = new Map<string, number>();
  private readonly order: string[] = [];

  constructor(
    private readonly chunkBytes: number,
    /** Receives each full chunk; the buffer is handed over (the encoder never touches it again). */
    private readonly emit: (chunk: ArrayBuffer, length: number) => void,
  ) {
    this.allocate(chunkBytes + HEADROOM);
  }

  invoke(e: InvokeEvent): void {
    this.record(() => {
      const f = this.name(e.f);
      const node = this.name(e.node);
      const start = this.pos;
      this.ensure(42);
      const v = this.view;
      const flags = (e.intended === undefined ? 0 : FLAG_INTENDED) | (e.value === undefined ? 0 : FLAG_VALUE);
      v.setUint8(start, RECORD_INVOKE);
      v.setUint8(start + 1, flags);
      v.setFloat64(start + 2, e.id, true);
      v.setUint32(start + 10, f, true);
      v.setFloat64(start + 14, e.worker, true);
      v.setUint32(start + 22, node, true);
      v.setFloat64(start + 26, e.time, true);
      this.pos = start + 34;
      if (e.intended !== undefined) {
        v.setFloat64(this.pos, e.intended, true);
        this.pos += 8;
      }
      if (e.value !== undefined) this.value(e.value, 0);
    });
  }

  complete(e: CompletionEvent): void {
    this.record(() => {
      const f = this.name(e.f);
      const node = this.name(e.node);
      const error = e.error === undefined ? -1 : this.name(e.error);
      const start = this.pos;
      this.ensure(46);
      const v = this.view;
      const flags = (error < 0 ? 0 : FLAG_ERROR) | (e.value === undefined ? 0 : FLAG_VALUE);
      v.setUint8(start, COMPLETION_KIND[e.type]);
      v.setUint8(start + 1, flags);
      v.setFloat64(start + 2, e.id, true);
      v.setUint32(start + 10, f, true);
      v.setFloat64(start + 14, e.worker, true);
      v.setUint32(start + 22, node, true);
      v.setFloat64(start + 26, e.time, true);
      v.setFloat64(start + 34, e.latency, true);
      this.pos = start + 42;
      if (error >= 0) {
        v.setUint32(this.pos, error, true);
        this.pos += 4;
      }
      if (e.value !== undefined) this.value(e.value, 0);
    });
  }

  /** Any other event, already printed as its JSON line (rare: phases, faults, samples). */
  raw(line: string): void {
    this.record(() => {
      this.ensure(1);
      this.view.setUint8(this.pos++, RECORD_RAW);
      this.utf8(line);
    });
  }

  /** Hands over what is encoded so far (nothing when empty). */
  flush(): void {
    if (this.pos === 0) return;
    const { buffer, pos } = this;
    this.allocate(this.chunkBytes + HEADROOM);
    this.emit(buffer, pos);
  }

  /** One whole record or nothing: a value JSON cannot hold throws as JSON.stringify would, and leaves no trace. */
  private record(write: () => void): void {
    if (this.order.length >= INTERN_MAX_COUNT) this.resetStrings();
    const start = this.pos;
    const known = this.order.length;
    try {
      write();
    } catch (error) {
      this.pos = start;
      for (const text of this.order.splice(known)) this.strings.delete(text);
      throw error;
    }
    if (this.pos >= this.chunkBytes) this.flush();
  }

  private resetStrings(): void {
    this.strings.clear();
    this.order.length = 0;
    this.ensure(1);
    this.view.setUint8(this.pos++, RECORD_STRING_RESET);
  }

  /** The interned id of a name (operation, node, error class), defined by a record of its own when new. */
  private name(text: string): number {
    const id = this.strings.get(text);
    if (id !== undefined) return id;
    const next = this.intern(text);
    this.ensure(5);
    this.view.setUint8(this.pos, RECORD_STRING_DEF);
    this.view.setUint32(this.pos + 1, next, true);
    this.pos += 5;
    this.utf8(text);
    return next;
  }

  private intern(text: string): number {
    const id = this.order.length;
    this.strings.set(text, id);
    this.order.push(text);
    return id;
  }

  private value(item: unknown, depth: number): void {
    switch (typeof item) {
      case 'number':
        if ((item | 0) === item) {
          this.ensure(5);
          this.view.setUint8(this.pos, VALUE_INT);
          this.view.setInt32(this.pos + 1, item, true);
          this.pos += 5;
        } else {
          this.ensure(9);
          this.view.setUint8(this.pos, VALUE_DOUBLE);
          this.view.setFloat64(this.pos + 1, item, true);
          this.pos += 9;
        }
        return;
      case 'string':
        this.string(item);
        return;
      case 'boolean':
        this.ensure(1);
        this.view.setUint8(this.pos++, item ? VALUE_TRUE : VALUE_FALSE);
        return;
      case 'object':
        if (item === null) {
          this.ensure(1);
          this.view.setUint8(this.pos++, VALUE_NULL);
        } else if (depth >= MAX_DEPTH) this.json(item);
        else if (Array.isArray(item)) this.array(item, depth);
        else {
          const proto: unknown = Object.getPrototypeOf(item);
          if ((proto === Object.prototype || proto === null) && typeof (item as { toJSON?: unknown }).toJSON !== 'function') this.object(item as Record<string, unknown>, depth);
          else this.json(item);
        }
        return;
      case 'bigint':
        this.json(item); // throws, as JSON.stringify does
        return;
      default:
        // undefined, functions and symbols: null inside an array, as JSON.stringify writes them.
        this.ensure(1);
        this.view.setUint8(this.pos++, VALUE_NULL);
    }
  }

  private array(items: readonly unknown[], depth: number): void {
    this.ensure(5);
    this.view.setUint8(this.pos, VALUE_ARRAY);
    this.view.setUint32(this.pos + 1, items.length, true);
    this.pos += 5;
    for (let i = 0; i < items.length; i++) this.value(items[i], depth + 1);
  }

  private object(item: Record<string, unknown>, depth: number): void {
    this.ensure(5);
    const countAt = this.pos + 1;
    this.view.setUint8(this.pos, VALUE_OBJECT);
    this.pos += 5;
    let count = 0;
    for (const key in item) {
      const member = item[key];
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      this.string(key);
      this.value(member, depth + 1);
      count++;
    }
    this.view.setUint32(countAt, count, true);
  }

  private string(text: string): void {
    if (text.length <= INTERN_MAX_LENGTH) {
      const id = this.strings.get(text);
      if (id !== undefined) {
        this.ensure(5);
        this.view.setUint8(this.pos, VALUE_STRING);
        this.view.setUint32(this.pos + 1, id, true);
        this.pos += 5;
        return;
      }
      this.ensure(5);
      this.view.setUint8(this.pos, VALUE_STRING_NEW);
      this.view.setUint32(this.pos + 1, this.intern(text), true);
      this.pos += 5;
    } else {
      this.ensure(1);
      this.view.setUint8(this.pos++, VALUE_STRING_INLINE);
    }
    this.utf8(text);
  }

  /** Anything JSON.stringify must judge itself (Date, toJSON, class instances, too deep). */
  private json(item: unknown): void {
    const text = JSON.stringify(item);
    if (text === undefined) {
      this.ensure(1);
      this.view.setUint8(this.pos++, VALUE_NULL);
      return;
    }
    this.ensure(1);
    this.view.setUint8(this.pos++, VALUE_JSON);
    this.utf8(text);
  }

  /** u32 byte length, then the UTF-8 bytes. */
  private utf8(text: string): void {
    this.ensure(4 + text.length * 3);
    const { written } = utf8.encodeInto(text, this.bytes.subarray(this.pos + 4));
    this.view.setUint32(this.pos, written, true);
    this.pos += 4 + written;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const old = this.bytes;
    const used = this.pos;
    this.allocate(Math.max(old.length * 2, used + n));
    this.bytes.set(old.subarray(0, used));
    this.pos = used;
  }

  private allocate(size: number): void {
    this.buffer = new ArrayBuffer(size);
    this.view = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
    this.pos = 0;
  }
}
