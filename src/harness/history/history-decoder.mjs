// @ts-check
// Binary history records (history-record-format.mjs) back to history.jsonl lines, in the history
// worker thread. The lines are written as bytes straight into one reused output buffer: building
// them as strings cost the thread three times as much, most of it garbage collection. The layout
// of a line is historyLine()'s (history-line.ts); test/unit/history checks the two agree byte for
// byte. A decoder keeps the interned strings of one writer across its chunks.
import * as R from './history-record-format.mjs';

const utf8 = new TextDecoder();

/** @param {string} text ASCII */
const bytesOf = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** @type {Readonly<Record<number, Uint8Array>>} */
const COMPLETION_START = {
  [R.RECORD_OK]: bytesOf('{"type":"ok","id":'),
  [R.RECORD_FAIL]: bytesOf('{"type":"fail","id":'),
  [R.RECORD_INFO]: bytesOf('{"type":"info","id":'),
};
const INVOKE_START = bytesOf('{"type":"invoke","id":');
const F = bytesOf(',"f":');
const WORKER = bytesOf(',"worker":');
const NODE = bytesOf(',"node":');
const TIME = bytesOf(',"time":');
const INTENDED = bytesOf(',"intended":');
const LATENCY = bytesOf(',"latency":');
const ERROR = bytesOf(',"error":');
const VALUE = bytesOf(',"value":');
const NULL = bytesOf('null');
const TRUE = bytesOf('true');
const FALSE = bytesOf('false');
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

export class HistoryDecoder {
  /** Interned strings by id, as the UTF-8 bytes of their JSON form (quoted, escaped). @type {Uint8Array[]} */
  #quoted = [];
  /** @type {DataView} */
  #view = new DataView(new ArrayBuffer(0));
  /** @type {Uint8Array} */
  #bytes = new Uint8Array(0);
  #pos = 0;
  #out = Buffer.allocUnsafe(1 << 20);
  #o = 0;

  /**
   * The JSON lines of one chunk, each ending in a newline: a view of the decoder's own buffer,
   * valid until the next call.
   * @param {ArrayBuffer} buffer
   * @param {number} length
   * @returns {Buffer}
   */
  decode(buffer, length) {
    this.#view = new DataView(buffer, 0, length);
    this.#bytes = new Uint8Array(buffer, 0, length);
    this.#pos = 0;
    this.#o = 0;
    while (this.#pos < length) this.#record();
    return this.#out.subarray(0, this.#o);
  }

  #record() {
    const v = this.#view;
    const kind = v.getUint8(this.#pos++);
    switch (kind) {
      case R.RECORD_STRING_DEF: {
        const id = v.getUint32(this.#pos, true);
        this.#pos += 4;
        this.#quoted[id] = Buffer.from(JSON.stringify(this.#utf8()), 'utf8');
        return;
      }
      case R.RECORD_STRING_RESET:
        this.#quoted = [];
        return;
      case R.RECORD_RAW: {
        const length = v.getUint32(this.#pos, true);
        this.#room(length + 1);
        this.#out.set(this.#bytes.subarray(this.#pos + 4, this.#pos + 4 + length), this.#o);
        this.#o += length;
        this.#pos += 4 + length;
        this.#out[this.#o++] = NEWLINE;
        return;
      }
      case R.RECORD_INVOKE: {
        const p = this.#pos;
        const flags = v.getUint8(p);
        this.#room(256);
        this.#put(INVOKE_START);
        this.#number(v.getFloat64(p + 1, true));
        this.#put(F);
        this.#name(v.getUint32(p + 9, true));
        this.#put(WORKER);
        this.#number(v.getFloat64(p + 13, true));
        this.#put(NODE);
        this.#name(v.getUint32(p + 21, true));
        this.#put(TIME);
        this.#number(v.getFloat64(p + 25, true));
        this.#pos = p + 33;
        if (flags & R.FLAG_INTENDED) {
          this.#put(INTENDED);
          this.#number(v.getFloat64(this.#pos, true));
          this.#pos += 8;
        }
        this.#tail(flags);
        return;
      }
      case R.RECORD_OK:
      case R.RECORD_FAIL:
      case R.RECORD_INFO: {
        const p = this.#pos;
        const flags = v.getUint8(p);
        this.#room(256);
        this.#put(/** @type {Uint8Array} */ (COMPLETION_START[kind]));
        this.#number(v.getFloat64(p + 1, true));
        this.#put(F);
        this.#name(v.getUint32(p + 9, true));
        this.#put(WORKER);
        this.#number(v.getFloat64(p + 13, true));
        this.#put(NODE);
        this.#name(v.getUint32(p + 21, true));
        this.#put(TIME);
        this.#number(v.getFloat64(p + 25, true));
        this.#put(LATENCY);
        this.#number(v.getFloat64(p + 33, true));
        this.#pos = p + 41;
        if (flags & R.FLAG_ERROR) {
          this.#put(ERROR);
          this.#name(v.getUint32(this.#pos, true));
          this.#pos += 4;
        }
        this.#tail(flags);
        return;
      }
      default:
        throw new Error(`history chunk: unknown record kind ${kind} at byte ${this.#pos - 1}`);
    }
  }

  /** The value if any, the closing brace and the newline. @param {number} flags */
  #tail(flags) {
    if (flags & R.FLAG_VALUE) {
      this.#put(VALUE);
      this.#value();
    }
    this.#room(2);
    this.#out[this.#o++] = 0x7d;
    this.#out[this.#o++] = NEWLINE;
  }

  /** Makes room for n more output bytes. @param {number} n */
  #room(n) {
    if (this.#o + n <= this.#out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#out.length * 2, this.#o + n));
    this.#out.copy(grown, 0, 0, this.#o);
    this.#out = grown;
  }

  /** Short constant pieces: a loop beats set() at this size. @param {Uint8Array} piece */
  #put(piece) {
    this.#room(piece.length);
    const out = this.#out;
    let o = this.#o;
    for (let i = 0; i < piece.length; i++) out[o++] = /** @type {number} */ (piece[i]);
    this.#o = o;
  }

  /** A number as `${n}` prints it (the fields of an event; values print non-finite as null). @param {number} n */
  #number(n) {
    this.#room(32);
    const out = this.#out;
    if (n >= 0 && n < 2147483648 && (n | 0) === n && !Object.is(n, -0)) {
      // Integers by hand: ids, workers, most values.
      let digits = 1;
      for (let rest = n; rest >= 10; rest = (rest / 10) | 0) digits++;
      let o = this.#o + digits;
      this.#o = o;
      let rest = n;
      do {
        out[--o] = 0x30 + (rest % 10);
        rest = (rest / 10) | 0;
      } while (rest > 0);
      return;
    }
    const text = `${n}`;
    let o = this.#o;
    for (let i = 0; i < text.length; i++) out[o++] = text.charCodeAt(i);
    this.#o = o;
  }

  /** @param {number} id */
  #name(id) {
    const quoted = this.#quoted[id];
    if (quoted === undefined) throw new Error(`history chunk: string ${id} used before it was defined`);
    this.#put(quoted);
  }

  /** Reads a u32 length and its UTF-8 bytes as a string. @returns {string} */
  #utf8() {
    const length = this.#view.getUint32(this.#pos, true);
    const start = this.#pos + 4;
    this.#pos = start + length;
    return utf8.decode(this.#bytes.subarray(start, start + length));
  }

  /** @param {string} text */
  #text(text) {
    this.#room(text.length * 3);
    this.#o += this.#out.write(text, this.#o, 'utf8');
  }

  /** One value as JSON. */
  #value() {
    const v = this.#view;
    const tag = v.getUint8(this.#pos++);
    switch (tag) {
      case R.VALUE_NULL:
        this.#put(NULL);
        return;
      case R.VALUE_TRUE:
        this.#put(TRUE);
        return;
      case R.VALUE_FALSE:
        this.#put(FALSE);
        return;
      case R.VALUE_INT: {
        const n = v.getInt32(this.#pos, true);
        this.#pos += 4;
        this.#number(n);
        return;
      }
      case R.VALUE_DOUBLE: {
        const n = v.getFloat64(this.#pos, true);
        this.#pos += 8;
        if (Number.isFinite(n)) this.#number(n);
        else this.#put(NULL);
        return;
      }
      case R.VALUE_STRING: {
        const id = v.getUint32(this.#pos, true);
        this.#pos += 4;
        this.#name(id);
        return;
      }
      case R.VALUE_STRING_NEW: {
        const id = v.getUint32(this.#pos, true);
        this.#pos += 4;
        const quoted = Buffer.from(JSON.stringify(this.#utf8()), 'utf8');
        this.#quoted[id] = quoted;
        this.#put(quoted);
        return;
      }
      case R.VALUE_STRING_INLINE:
        this.#text(JSON.stringify(this.#utf8()));
        return;
      case R.VALUE_JSON:
        this.#text(this.#utf8());
        return;
      case R.VALUE_ARRAY: {
        const count = v.getUint32(this.#pos, true);
        this.#pos += 4;
        this.#room(1);
        this.#out[this.#o++] = 0x5b;
        for (let i = 0; i < count; i++) {
          if (i > 0) {
            this.#room(1);
            this.#out[this.#o++] = COMMA;
          }
          this.#value();
        }
        this.#room(1);
        this.#out[this.#o++] = 0x5d;
        return;
      }
      case R.VALUE_OBJECT: {
        const count = v.getUint32(this.#pos, true);
        this.#pos += 4;
        this.#room(1);
        this.#out[this.#o++] = 0x7b;
        for (let i = 0; i < count; i++) {
          if (i > 0) {
            this.#room(1);
            this.#out[this.#o++] = COMMA;
          }
          this.#value();
          this.#room(1);
          this.#out[this.#o++] = COLON;
          this.#value();
        }
        this.#room(1);
        this.#out[this.#o++] = 0x7d;
        return;
      }
      default:
        throw new Error(`history chunk: unknown value tag ${tag} at byte ${this.#pos - 1}`);
    }
  }
}
