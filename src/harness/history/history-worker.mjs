// @ts-check
// The history worker thread: receives binary chunks from HistoryWriter (the load driver's thread),
// appends each to the history's spill file at once (history-spill.mjs), and prints the spill as
// JSON lines into history.jsonl at close; while the load runs it prints only what lies more than
// PRINT_BEHIND_BYTES behind, at the lowest CPU priority. Printing is most of what recording costs
// (bench/recording-cost.ts): done as the load ran, it took CPU from the database on a machine that
// runs both (about 6 µs per operation against 1.3 µs printed in one go at close, measured on the
// 2-core build machine, bench/driver-vs-pgbench.ts). The bound keeps close short: 128 MB of spill
// is about 1.4 million one-row reads, printed in under 2 s. Plain JavaScript (no TypeScript loader).
// A harness killed with SIGKILL loses only the chunks still in flight (about a second of
// operations): they are spilled as they come, and settleHistory() (`faultline report <run-dir>`)
// prints the spill it leaves.
//
// Protocol (history-writer.ts is the other side):
//   workerData  { path, written: SharedArrayBuffer(Int32 x 1) }
//   -> { kind: 'chunk', buffer: ArrayBuffer (transferred), length }   records, in order
//   -> { kind: 'close' }                                               last message
//   <- { kind: 'error', message }                                      the file cannot be written; later chunks are dropped
//   <- { kind: 'closed', cpuMs }                                       everything is in history.jsonl, the spill is gone;
//                                                                      cpuMs: the thread's CPU time (bench/recording-cost.ts)
//   written[0] counts chunks spilled (Atomics.notify), so the writer can wait when too far ahead.
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryDecoder } from './history-decoder.mjs';
import { appendChunk, SpillReader, spillPathOf, writeAll } from './history-spill.mjs';
import { threadCpuMs } from './thread-cpu.mjs';

/** @typedef {{ kind: 'chunk'; buffer: ArrayBuffer; length: number } | { kind: 'close' }} WriterMessage */

/** Nice 19: what is printed while the load runs yields to the driver's thread. */
const LOWEST_PRIORITY = 19;
/** How far printing may lag the spill while the load runs (the rest is printed at close). */
const PRINT_BEHIND_BYTES = 128 * 1024 * 1024;

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const { path, written } = /** @type {{ path: string; written: SharedArrayBuffer }} */ (workerData);
const counter = new Int32Array(written);
const spillPath = spillPathOf(path);
const decoder = new HistoryDecoder();
/** @type {number | undefined} */
let spill;
/** @type {number | undefined} */
let out;
/** @type {SpillReader | undefined} */
let reader;
let spilled = 0;
let printing = false;
let failed = false;

/** @param {unknown} error */
function fail(error) {
  if (failed) return;
  failed = true;
  port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
}

try {
  spill = openSync(spillPath, 'w+');
  out = openSync(path, 'a');
  reader = new SpillReader(spill);
} catch (error) {
  fail(error);
}
lowerPriority();

/** This thread alone (Linux: a thread id is a pid to setpriority); where it cannot, it prints at normal priority. */
function lowerPriority() {
  try {
    const tid = Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ', 1)[0]);
    if (Number.isSafeInteger(tid) && tid > 0) setPriority(tid, LOWEST_PRIORITY);
  } catch {
    // No /proc or not allowed: correct either way, only slower to print under load.
  }
}

/** @param {ArrayBuffer} buffer @param {number} length */
function spillChunk(buffer, length) {
  if (failed || spill === undefined) return;
  try {
    spilled += appendChunk(spill, spilled, new Uint8Array(buffer, 0, length));
  } catch (error) {
    fail(error);
  }
}

/** Prints the next spilled chunk while more than `behind` bytes are left unprinted; false when done. */
function printOne(behind = 0) {
  if (failed || reader === undefined || out === undefined || spilled - reader.position <= behind) return false;
  try {
    const chunk = reader.next(spilled);
    if (!chunk) return false;
    writeAll(out, decoder.decode(chunk.buffer, chunk.length));
    return true;
  } catch (error) {
    fail(error);
    return false;
  }
}

/** While the load runs: one chunk per turn of the loop (arriving chunks are spilled first), only past the bound. */
function printLater() {
  if (printing || reader === undefined || spilled - reader.position <= PRINT_BEHIND_BYTES) return;
  printing = true;
  setImmediate(() => {
    printing = false;
    if (printOne(PRINT_BEHIND_BYTES)) printLater();
  });
}

port.on('message', (/** @type {WriterMessage} */ message) => {
  if (message.kind === 'chunk') {
    spillChunk(message.buffer, message.length);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
    printLater();
    return;
  }
  while (printOne());
  for (const fd of [out, spill]) {
    if (fd === undefined) continue;
    try {
      closeSync(fd);
    } catch (error) {
      fail(error);
    }
  }
  // Printed whole: the spill has nothing the file lacks. After a failure it stays, as evidence.
  if (!failed) rmSync(spillPath, { force: true });
  port.postMessage({ kind: 'closed', cpuMs: threadCpuMs() });
  port.close();
});
