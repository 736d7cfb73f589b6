// @ts-check
// The history's binary spill file: what the history worker thread appends while the load runs
// (history-worker.mjs), before it prints the JSON lines. Each chunk of records the driver's thread
// encoded (history-encoder.ts) goes to disk as it is, behind its byte length (u32, little-endian).
// Printing JSON is most of what recording costs in CPU, so the worker prints at close (during the
// load only what lags far behind); the spill keeps memory flat meanwhile.
//
// A harness killed with SIGKILL leaves the spill beside a history.jsonl that may lag it:
// settleHistory() prints the whole spill again into history.jsonl (`faultline report <run-dir>`).
// Plain JavaScript, as the worker that uses it.
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { HistoryDecoder } from './history-decoder.mjs';

const HEADER = 4;

/** Where the spill of a history file lives: history.jsonl -> history.records. */
export function spillPathOf(/** @type {string} */ historyPath) {
  return `${historyPath.replace(/\.jsonl$/, '')}.records`;
}

/** Writes all of `bytes` at `position`. @param {number} fd @param {Uint8Array} bytes @param {number} position */
export function writeAllAt(fd, bytes, position) {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset, position + offset);
}

/** Appends all of `bytes`. @param {number} fd @param {Uint8Array} bytes */
export function writeAll(fd, bytes) {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}

/** Appends one chunk (its length, then its bytes) at `position`; returns the bytes the chunk took. */
export function appendChunk(/** @type {number} */ fd, /** @type {number} */ position, /** @type {Uint8Array} */ bytes) {
  const header = new Uint8Array(HEADER);
  new DataView(header.buffer).setUint32(0, bytes.length, true);
  writeAllAt(fd, header, position);
  writeAllAt(fd, bytes, position + HEADER);
  return HEADER + bytes.length;
}

/** Reads chunks back from a spill, in order, into one reused buffer. */
export class SpillReader {
  #fd;
  #buffer = new ArrayBuffer(256 * 1024);
  #header = new Uint8Array(HEADER);
  position = 0;

  constructor(/** @type {number} */ fd) {
    this.#fd = fd;
  }

  /**
   * The next chunk (buffer, length) below `end`, or undefined at the end or at a chunk cut short
   * (a harness killed while writing it): its records are then lost, as a last line cut short is.
   * @param {number} end
   * @returns {{ buffer: ArrayBuffer, length: number } | undefined}
   */
  next(end) {
    if (this.position + HEADER > end) return undefined;
    if (readFull(this.#fd, this.#header, this.position) < HEADER) return undefined;
    const length = new DataView(this.#header.buffer).getUint32(0, true);
    if (this.position + HEADER + length > end) return undefined;
    if (this.#buffer.byteLength < length) this.#buffer = new ArrayBuffer(length);
    if (readFull(this.#fd, new Uint8Array(this.#buffer, 0, length), this.position + HEADER) < length) return undefined;
    this.position += HEADER + length;
    return { buffer: this.#buffer, length };
  }
}

/** @param {number} fd @param {Uint8Array} into @param {number} position */
function readFull(fd, into, position) {
  let got = 0;
  while (got < into.length) {
    const n = readSync(fd, into, got, into.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * After a kill: prints the whole spill of `historyPath` as its history.jsonl (the spill holds
 * every record the lagging file holds, and more), then removes the spill. No spill: nothing to do.
 * @param {string} historyPath
 * @returns {boolean} whether there was a spill to settle
 */
export function settleHistory(historyPath) {
  const spillPath = spillPathOf(historyPath);
  if (!existsSync(spillPath)) return false;
  const settling = `${historyPath}.settling`;
  const spill = openSync(spillPath, 'r');
  const out = openSync(settling, 'w');
  try {
    const decoder = new HistoryDecoder();
    const reader = new SpillReader(spill);
    for (let chunk = reader.next(Infinity); chunk; chunk = reader.next(Infinity)) writeAll(out, decoder.decode(chunk.buffer, chunk.length));
  } finally {
    closeSync(out);
    closeSync(spill);
  }
  renameSync(settling, historyPath);
  rmSync(spillPath, { force: true });
  return true;
}
