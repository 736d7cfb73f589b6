// @ts-check
// The precise waker's thread (precise-waker.ts is the other side): sleeps until the earliest
// time the load driver asked to be woken at, with a futex's sub-millisecond precision
// (Atomics.wait), and then posts one message. No messages come in: the driver's thread writes
// the next due time into shared memory and bumps a sequence number, which wakes this thread.
//
// Shared memory (workerData.shared, 16 bytes):
//   Int32  [0]  sequence: bumped (and notified) by the driver's thread whenever `due` changes
//   Float64[1]  due: process.hrtime milliseconds; Infinity: nothing to wait for; -1: exit
// Messages out: 0 when `due` has passed. The thread then waits for the sequence to move on
// (the driver resolves what is due and writes the next time), so it never posts twice for one due.
// Plain JavaScript: no TypeScript loader in the thread.
import { parentPort, workerData } from 'node:worker_threads';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const shared = /** @type {SharedArrayBuffer} */ (workerData.shared);
const sequence = new Int32Array(shared, 0, 1);
const due = new Float64Array(shared, 8, 1);

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

for (;;) {
  const seen = Atomics.load(sequence, 0);
  const at = due[0];
  if (at === undefined || at < 0) break;
  if (at === Infinity) {
    Atomics.wait(sequence, 0, seen);
    continue;
  }
  const left = at - nowMs();
  if (left > 0) {
    Atomics.wait(sequence, 0, seen, left);
    continue;
  }
  port.postMessage(0);
  Atomics.wait(sequence, 0, seen);
}
