import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RunClock } from '../src/harness/history/run-clock.ts';
import { HistoryWriter } from '../src/harness/history/history-writer.ts';
import { threadCpuMs } from '../src/harness/history/thread-cpu.mjs';
import type { CompletionEvent } from '../src/harness/history/history-types.ts';
import { LatencyRecorder } from '../src/harness/metrics/latency-recorder.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import type { OpResult } from '../src/harness/workload/workload-types.ts';
import { BENCH_MARKER, fixed, median, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// What recording one operation costs the driver: LatencyRecorder.record + HistoryWriter.invoke +
// HistoryWriter.complete, against the same event construction with nothing recorded. Events are
// checkout-shaped (the largest values a history holds), latencies spread like a real run's.
//
// Measured as CPU time of the driver's thread (/proc/thread-self/stat), not wall time: on a shared
// 2-core machine other processes inflate wall time several times over, CPU time hardly. The
// history's JSON lines are printed by its own thread (history-worker.mjs); that thread's CPU per
// operation is reported beside the goal, so nothing recording costs is left out of the figures.

const NAME = 'recording-cost';
const ROUNDS = 5;
/** Operations between two turns of the event loop (a real run yields after every operation; this keeps the loop's share small but present). */
const BATCH = 1_000;
/** Operations per variant and round: a second or so of CPU, against /proc's 10 ms ticks. */
const OPS = 1_000_000;
const GOAL_US = 2;

type CheckoutArgs = {
  orderId: number;
  customerId: number;
  warehouseId: number;
  items: { productId: number; quantity: number }[];
  paymentMethod: string;
  carrier: string;
};

// Built ahead, so generating arguments (the generator's job, not recording's) is not measured.
const POOL = 256;
const ARGS: CheckoutArgs[] = Array.from({ length: POOL }, (_, i) => ({
  orderId: 100_000 + i,
  customerId: 1 + ((i * 37) % 1000),
  warehouseId: 1 + (i % 4),
  items: Array.from({ length: 1 + (i % 4) }, (_, k) => ({ productId: 1 + ((i * 13 + k * 7) % 200), quantity: 1 + (k % 3) })),
  paymentMethod: ['card', 'paypal', 'invoice'][i % 3]!,
  carrier: ['ups', 'dhl', 'fedex'][i % 3]!,
}));
const TOTALS = ARGS.map((a) => a.items.reduce((sum, item) => sum + item.quantity * 42.5, 0));
// Log-normal around 2 ms (0.1 ms to a few hundred ms): spreads values over many histogram buckets.
const LATENCIES = Array.from({ length: 4096 }, () => Math.exp(Math.log(2) + 1.2 * gaussian()));

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/** Keeps constructed events alive so V8 cannot optimise the construction away. */
let sink: unknown;
let nextId = 1;

interface Recorders {
  readonly recorder?: LatencyRecorder;
  readonly history?: HistoryWriter;
}

/**
 * One batch of operations, the event objects built expression for expression as
 * LoadDriver.execute() builds them (closed loop: no intended start; a checkout's ok result).
 */
function batch(clock: RunClock, { recorder, history }: Recorders): void {
  const intended: number | undefined = undefined;
  for (let k = 0; k < BATCH; k++) {
    const id = nextId++;
    const args = ARGS[id % POOL]!;
    const w = id % 8;
    const node = 'primary';
    const start = clock.now();
    history?.invoke({ type: 'invoke', id, f: 'checkout', worker: w, node, time: start, ...(intended === undefined ? {} : { intended }), value: args });
    const result = checkoutResult(args, TOTALS[id % POOL]!);
    const latency = LATENCIES[id % LATENCIES.length]!;
    const time = start + latency;
    const error = result.type === 'ok' ? undefined : result.error;
    recorder?.record('checkout', result.type, latency, error, true);
    const complete: CompletionEvent = {
      type: result.type,
      id,
      f: 'checkout',
      worker: w,
      node,
      time,
      latency,
      ...(error === undefined ? {} : { error }),
      ...(result.value === undefined ? {} : { value: result.value }),
    };
    history?.complete(complete);
    sink = complete;
  }
}

/** What checkout-pg.ts returns on success; typed wide so the driver's error branch type-checks. */
function checkoutResult(args: CheckoutArgs, total: number): OpResult {
  return { type: 'ok', value: { orderId: args.orderId, customerId: args.customerId, total } };
}

/** A turn of the event loop per batch, as a real run has. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Variant = 'baseline' | 'recording' | 'recorder-only' | 'history-only';
const VARIANTS: readonly Variant[] = ['baseline', 'recording', 'recorder-only', 'history-only'];

interface VariantFigures {
  /** CPU of the driver's thread per operation. */
  readonly cpuNs: number;
  /** Wall time per operation (context only: the machine's load inflates it). */
  readonly wallNs: number;
  /** CPU of the history's writer thread per operation (history variants). */
  readonly writerCpuNs?: number;
  readonly encodedBytesPerOp?: number;
  readonly jsonBytesPerOp?: number;
}

function cpuNow(): number {
  const ms = threadCpuMs();
  if (ms === undefined) throw new Error('thread CPU time needs /proc/thread-self/stat (Linux)');
  return ms;
}

async function measureVariant(dir: string, variant: Variant, label: string): Promise<VariantFigures> {
  const clock = new RunClock();
  const recorder = variant === 'recording' || variant === 'recorder-only' ? new LatencyRecorder() : undefined;
  const path = join(dir, `history-${label}.jsonl`);
  const history = variant === 'recording' || variant === 'history-only' ? new HistoryWriter(path) : undefined;
  try {
    // A short warmup (not measured): optimised code, interned strings, the writer thread started.
    for (let n = 0; n < 50 * BATCH; n += BATCH) {
      batch(clock, { recorder, history });
      await yieldToLoop();
    }
    const cpu0 = cpuNow();
    const wall0 = performance.now();
    for (let n = 0; n < OPS; n += BATCH) {
      batch(clock, { recorder, history });
      await yieldToLoop();
    }
    const cpuNs = ((cpuNow() - cpu0) * 1e6) / OPS;
    const wallNs = ((performance.now() - wall0) * 1e6) / OPS;
    if (!history) return { cpuNs, wallNs };
    await history.close();
    const stats = history.stats();
    const total = OPS + 50 * BATCH;
    return {
      cpuNs,
      wallNs,
      ...(stats.writerCpuMs === undefined ? {} : { writerCpuNs: (stats.writerCpuMs * 1e6) / total }),
      encodedBytesPerOp: stats.encodedBytes / total,
      jsonBytesPerOp: (await stat(path)).size / total,
    };
  } finally {
    await history?.close();
    // Hundreds of MB of history per round in RAM (/dev/shm): gone before the next one.
    await rm(path, { force: true });
  }
}

type RoundFigures = Record<Variant, VariantFigures>;

export async function runBench(print: Print): Promise<BenchReport> {
  const dir = join(scratchBase(), `${BENCH_MARKER}-recording`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const rounds: RoundFigures[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const figures: Partial<RoundFigures> = {};
      // Rotating the order: no variant always runs first (cold) or last (after the most garbage).
      for (let k = 0; k < VARIANTS.length; k++) {
        const variant = VARIANTS[(round + k) % VARIANTS.length]!;
        figures[variant] = await measureVariant(dir, variant, `${round}-${variant}`);
      }
      const r = figures as RoundFigures;
      rounds.push(r);
      print(
        `  round ${round + 1}/${ROUNDS}: driver thread CPU ${fixed(r.recording.cpuNs, 0)} ns/op with recording, ${fixed(r.baseline.cpuNs, 0)} without ` +
          `(recorder only ${fixed(r['recorder-only'].cpuNs, 0)}, history only ${fixed(r['history-only'].cpuNs, 0)}); history thread ${fixed(r.recording.writerCpuNs ?? Number.NaN, 0)} ns/op; ` +
          `wall ${fixed(r.recording.wallNs, 0)} vs ${fixed(r.baseline.wallNs, 0)} ns/op`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  void sink;
  const med = (pick: (r: RoundFigures) => number) => median(rounds.map(pick));
  const recordingNs = med((r) => r.recording.cpuNs);
  const baselineNs = med((r) => r.baseline.cpuNs);
  const netNs = med((r) => r.recording.cpuNs - r.baseline.cpuNs);
  const recorderNetNs = med((r) => r['recorder-only'].cpuNs - r.baseline.cpuNs);
  const historyNetNs = med((r) => r['history-only'].cpuNs - r.baseline.cpuNs);
  const writerNs = med((r) => r.recording.writerCpuNs ?? Number.NaN);
  const spread = (pick: (r: RoundFigures) => number) => {
    const values = rounds.map(pick);
    return { min: Math.min(...values), max: Math.max(...values) };
  };
  // The goal is on the driver thread's net cost: building the events is the driver's work with or without recording.
  const met = netNs / 1000 < GOAL_US;
  await writeFigures(NAME, {
    unit: 'CPU ns per operation (invoke + completion + histogram), driver thread unless named',
    rounds: ROUNDS,
    opsPerVariant: OPS,
    batch: BATCH,
    medians: {
      recordingNs,
      baselineNs,
      netNs,
      recorderOnlyNetNs: recorderNetNs,
      historyOnlyNetNs: historyNetNs,
      historyThreadNs: writerNs,
      netPlusHistoryThreadNs: netNs + writerNs,
      encodedBytesPerOp: med((r) => r.recording.encodedBytesPerOp ?? Number.NaN),
      jsonBytesPerOp: med((r) => r.recording.jsonBytesPerOp ?? Number.NaN),
    },
    spread: { netNs: spread((r) => r.recording.cpuNs - r.baseline.cpuNs), historyThreadNs: spread((r) => r.recording.writerCpuNs ?? Number.NaN) },
    perRound: rounds,
    goal: { netMicrosecondsBelow: GOAL_US, on: 'driver thread CPU' },
    met,
  });
  const netSpread = spread((r) => r.recording.cpuNs - r.baseline.cpuNs);
  const line =
    `recording: ${fixed(netNs / 1000, 2)} µs/op net on the driver's thread (CPU: ${fixed(recordingNs, 0)} ns with recording vs ${fixed(baselineNs, 0)} ns ` +
    `constructing events only; rounds ${fixed(netSpread.min, 0)}-${fixed(netSpread.max, 0)} ns) (goal < ${GOAL_US} µs) ${verdict(met)}`;
  const detail =
    `  split: LatencyRecorder.record ${fixed(recorderNetNs, 0)} ns/op, HistoryWriter invoke + complete ${fixed(historyNetNs, 0)} ns/op; ` +
    `history thread (JSON lines, file) ${fixed(writerNs, 0)} ns/op off the driver's thread; ${fixed(med((r) => r.recording.encodedBytesPerOp ?? Number.NaN), 0)} binary bytes/op -> ${fixed(med((r) => r.recording.jsonBytesPerOp ?? Number.NaN), 0)} JSON bytes/op`;
  return { name: NAME, line, met, detail };
}
