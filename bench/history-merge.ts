import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { historyLine } from '../src/harness/history/history-line.ts';
import type { CompletionEvent, InvokeEvent } from '../src/harness/history/history-types.ts';
import { mergeHistories } from '../src/harness/history/merge-histories.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import type { OperationName } from '../src/harness/scenario/schema.ts';
import { BENCH_MARKER, fixed, median, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// What merging the load threads' histories costs after a run: the same history (about a million
// operation events, e-commerce shaped, in the encoder's exact line format) split by worker over
// T = 1, 2, 4, 8 time-ordered files, merged by mergeHistories into one. The baseline is T = 1: the
// same bytes through the same code (split lines, read each time, copy), with nothing to interleave,
// so merge(T) / baseline is what interleaving T files adds. Wall time, files in RAM (scratchBase):
// the figure is the CPU cost of the merge, not of a disk.

const NAME = 'history-merge';
const OPS = 500_000; // an invoke and a completion each: 1,000,000 events
const WORKERS = 64;
const THREADS = [1, 2, 4, 8] as const;
const ROUNDS = 7;
const GOAL_RATIO = 2; // merging 2 threads' files < 2x the single-file pass
const RATE_OPS = 20_000;
const WRITE_BYTES = 1 << 20;
const RUN_SECONDS = 60;

const NODES = ['primary', 'replica1', 'replica2'] as const;
const PAYMENTS = ['card', 'paypal', 'invoice'] as const;
const CARRIERS = ['ups', 'dhl', 'fedex'] as const;

/** Latency spread as a real run's: log-normal around 2 ms. */
function randomLatency(): number {
  const g = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  return Math.round(Math.exp(Math.log(2) + 1.2 * g) * 1000) / 1000;
}

const pick = <T>(values: readonly T[], i: number): T => values[i % values.length]!;

type Call = { readonly f: OperationName; readonly args: unknown; readonly value?: unknown; readonly error?: string };

/** What the e-commerce workload's operations take and return (op-args.ts, operations-pg.ts); checkouts are the largest. */
function call(id: number): Call {
  switch (id % 10) {
    case 0:
    case 1: {
      const items = Array.from({ length: 1 + (id % 4) }, (_, k) => ({ productId: 1 + ((id * 13 + k * 7) % 2000), quantity: 1 + (k % 3) }));
      const args = { orderId: 100_000 + id, customerId: 1 + ((id * 37) % 10_000), warehouseId: 1 + (id % 4), items, paymentMethod: pick(PAYMENTS, id), carrier: pick(CARRIERS, id) };
      const total = items.reduce((sum, item) => sum + item.quantity * 42.5, 0);
      if (id % 50 === 0) return { f: 'checkout', args, error: 'out-of-stock' };
      return { f: 'checkout', args, value: { orderId: args.orderId, customerId: args.customerId, total } };
    }
    case 2:
    case 3:
      return { f: 'add-to-cart', args: { customerId: 1 + (id % 10_000), productId: 1 + (id % 2000), quantity: 1 + (id % 3) }, value: { cartId: 1 + (id % 10_000) } };
    case 4:
    case 5:
      return { f: 'browse-category', args: { categoryId: 1 + (id % 40), page: id % 5 }, value: { rows: 20 } };
    default:
      return { f: 'view-product', args: { productId: 1 + (id % 2000) }, value: { found: true } };
  }
}

/** One operation's invoke and completion, built field by field (object spread measured about 7 µs a call here). */
function operation(id: number, worker: number, time: number): [InvokeEvent, CompletionEvent] {
  const { f, args, value, error } = call(id);
  const latency = randomLatency();
  const done = Math.round((time + latency) * 1000) / 1000;
  const node = id % 10 < 4 ? 'primary' : pick(NODES, id); // writes go to the primary, reads anywhere
  const invoke: InvokeEvent = { type: 'invoke', id, f, worker, node, time, value: args };
  if (error !== undefined) return [invoke, { type: 'fail', id, f, worker, node, time: done, latency, error }];
  return [invoke, { type: 'ok', id, f, worker, node, time: done, latency, value }];
}

interface Line {
  readonly time: number;
  readonly worker: number;
  readonly text: string;
}

/**
 * Writes the run's lines, in time order, into every split at once: worker w's lines go to file
 * w mod T (a load thread owns its workers), so each file is time-ordered as a load thread's is.
 * Operations start at a steady rate; completions land later, so lines are sorted a block at a time
 * and those before the next block's first start are final.
 */
function generate(dir: string): { splits: Map<number, string[]>; events: number; bytes: number } {
  const splits = new Map(THREADS.map((t) => [t, Array.from({ length: t }, (_, i) => join(dir, `load-${t}-${i}.jsonl`))]));
  const files = new Map(THREADS.map((t) => [t, splits.get(t)!.map((path) => ({ fd: openSync(path, 'w'), buffer: Buffer.allocUnsafe(WRITE_BYTES), size: 0 }))]));
  const flush = (file: { fd: number; buffer: Buffer; size: number }) => {
    writeSync(file.fd, file.buffer, 0, file.size);
    file.size = 0;
  };
  let events = 0;
  let bytes = 0;
  const emit = (line: Line) => {
    const encoded = Buffer.from(`${line.text}\n`); // encoded once, copied into each split
    events++;
    bytes += encoded.length;
    for (const t of THREADS) {
      const file = files.get(t)![line.worker % t]!;
      if (file.size + encoded.length > file.buffer.length) flush(file);
      file.size += encoded.copy(file.buffer, file.size);
    }
  };
  const startOf = (id: number) => Math.round((id / RATE_OPS) * 1e6) / 1000; // ms on the run clock
  let pending: Line[] = [];
  const BLOCK = 10_000;
  for (let first = 1; first <= OPS; first += BLOCK) {
    for (let id = first; id < Math.min(first + BLOCK, OPS + 1); id++) {
      const worker = id % WORKERS;
      for (const event of operation(id, worker, startOf(id))) pending.push({ time: event.time, worker, text: historyLine(event) });
    }
    pending.sort((a, b) => a.time - b.time); // stable: equal times keep the order recorded
    const until = first + BLOCK <= OPS ? startOf(first + BLOCK) : Number.POSITIVE_INFINITY;
    const done = pending.findIndex((line) => line.time >= until);
    for (const line of done < 0 ? pending : pending.slice(0, done)) emit(line);
    pending = done < 0 ? [] : pending.slice(done);
  }
  for (const file of [...files.values()].flat()) {
    flush(file);
    closeSync(file.fd);
  }
  return { splits, events, bytes };
}

export async function runBench(print: Print): Promise<BenchReport> {
  const dir = join(scratchBase(), `${BENCH_MARKER}-history-merge`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ms = new Map<number, number[]>(THREADS.map((t) => [t, []]));
  let events = 0;
  let bytes = 0;
  try {
    const generated = generate(dir);
    ({ events, bytes } = generated);
    const target = join(dir, 'history.jsonl');
    // Round 0 warms up (optimised code). Rounds rotate the order: no T always runs first or after another's garbage.
    for (let round = 0; round <= ROUNDS; round++) {
      for (let k = 0; k < THREADS.length; k++) {
        const threads = THREADS[(round + k) % THREADS.length]!;
        const started = performance.now();
        const merged = await mergeHistories(target, generated.splits.get(threads)!);
        const took = performance.now() - started;
        if (merged.events !== events) throw new Error(`T=${threads}: merged ${merged.events} events of ${events}`);
        if (round > 0) ms.get(threads)!.push(took);
        await rm(target, { force: true });
      }
      if (round > 0) print(`  round ${round}/${ROUNDS}: ${THREADS.map((t) => `T=${t} ${fixed(ms.get(t)!.at(-1)!, 0)} ms`).join(', ')} (${events.toLocaleString('en')} events)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const perThreads = Object.fromEntries(
    THREADS.map((t) => {
      const med = median(ms.get(t)!);
      return [t, { ms: ms.get(t)!, nsPerEvent: (med * 1e6) / events, mbPerS: bytes / 1e6 / (med / 1000) }];
    }),
  );
  const baseline = perThreads[1]!.nsPerEvent;
  const ratio = (t: number) => perThreads[t]!.nsPerEvent / baseline;
  const met = ratio(2) < GOAL_RATIO;
  const eventsPerRun = RATE_OPS * 2 * RUN_SECONDS;
  const runSeconds = (t: number) => (perThreads[t]!.nsPerEvent * eventsPerRun) / 1e9;
  await writeFigures(NAME, {
    unit: 'wall ns per merged event (median of rounds), files in RAM',
    events,
    bytes,
    rounds: ROUNDS,
    perThreads: Object.fromEntries(THREADS.map((t) => [t, { ...perThreads[t]!, ratioToSingleFile: ratio(t), secondsPerRun: runSeconds(t) }])),
    run: { opsPerSecond: RATE_OPS, seconds: RUN_SECONDS, events: eventsPerRun },
    goal: { mergeOf2BelowTimesSingleFile: GOAL_RATIO },
    met,
  });
  const line =
    `history merge: 2 threads' files ${fixed(perThreads[2]!.nsPerEvent, 0)} ns/event vs ${fixed(baseline, 0)} ns/event for the single-file pass, ` +
    `ratio ${fixed(ratio(2), 2)}x (goal < ${GOAL_RATIO}x) ${verdict(met)}`;
  const detail = [
    ...THREADS.map(
      (t) =>
        `  T=${t}: ${fixed(perThreads[t]!.nsPerEvent, 0)} ns/event, ${fixed(perThreads[t]!.mbPerS, 0)} MB/s, ${fixed(ratio(t), 2)}x single file; ` +
        `at ${RATE_OPS.toLocaleString('en')} ops/s a ${RUN_SECONDS} s run's merge takes ${fixed(runSeconds(t), 2)} s`,
    ),
    `  (${events.toLocaleString('en')} events, ${fixed(bytes / events, 0)} bytes/event, ${WORKERS} workers split over T files)`,
  ].join('\n');
  return { name: NAME, line, met, detail };
}
