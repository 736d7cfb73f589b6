// @ts-check
// The history worker thread: receives binary chunks from HistoryWriter (the load driver's thread)
// and appends them to history.jsonl as JSON lines, so printing numbers and values never runs on
// the driver's event loop. Plain JavaScript (no TypeScript loader in the thread, as link-worker.mjs).
// It writes each chunk as soon as it arrives: a harness killed with SIGKILL loses only the chunks
// still in flight (about a second of operations), and the file ends with whole lines or a partial
// last one, which the history reader skips.
//
// Protocol (history-writer.ts is the other side):
//   workerData  { path, written: SharedArrayBuffer(Int32 x 1) }
//   -> { kind: 'chunk', buffer: ArrayBuffer (transferred), length }   records, in order
//   -> { kind: 'close' }                                               last message
//   <- { kind: 'error', message }                                      the file cannot be written; later chunks are dropped
//   <- { kind: 'closed', cpuMs }                                       everything is written and the file closed;
//                                                                      cpuMs: the thread's CPU time (bench/recording-cost.ts)
//   written[0] counts chunks written (Atomics.notify), so the writer can wait when too far ahead.
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryDecoder } from './history-decoder.mjs';
import { threadCpuMs } from './thread-cpu.mjs';

/** @typedef {{ kind: 'chunk'; buffer: ArrayBuffer; length: number } | { kind: 'close' }} WriterMessage */

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const { path, written } = /** @type {{ path: string; written: SharedArrayBuffer }} */ (workerData);
const counter = new Int32Array(written);
const decoder = new HistoryDecoder();
/** @type {number | undefined} */
let fd;
let failed = false;

/** @param {unknown} error */
function fail(error) {
  if (failed) return;
  failed = true;
  port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
}

try {
  fd = openSync(path, 'a');
} catch (error) {
  fail(error);
}

/** @param {ArrayBuffer} buffer @param {number} length */
function writeChunk(buffer, length) {
  if (failed || fd === undefined) return;
  try {
    const bytes = decoder.decode(buffer, length);
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    fail(error);
  }
}

port.on('message', (/** @type {WriterMessage} */ message) => {
  if (message.kind === 'chunk') {
    writeChunk(message.buffer, message.length);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
    return;
  }
  if (fd !== undefined) {
    try {
      closeSync(fd);
    } catch (error) {
      fail(error);
    }
  }
  port.postMessage({ kind: 'closed', cpuMs: threadCpuMs() });
  port.close();
});
