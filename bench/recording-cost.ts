import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Bench, type Task } from 'tinybench';
import { RunClock } from '../src/harness/driver/run-clock.ts';
import { HistoryWriter } from '../src/harness/history/history-writer.ts';
import type { CompletionEvent } from '../src/harness/history/history-types.ts';
import { LatencyRecorder } from '../src/harness/metrics/latency-recorder.ts';
import { Workload } from '../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import type { OpResult } from '../src/harness/workload/workload-types.ts';
import { BENCH_MARKER, fixed, median, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// What recording one operation costs the driver: LatencyRecorder.record + HistoryWriter.invoke +
// HistoryWriter.complete, against the same event construction with nothing recorded. Events are
// checkout-shaped (the largest values a history holds), latencies spread like a real run's.

const NAME = 'recording-cost';
const SERIALIZERS = createEcommerceWorkload(Workload.parse({}), 1).valueSerializers;
const ROUNDS = 5;
/** Operations per task call: one op is far below the timer's resolution and call overhead. */
const BATCH = 1_000;
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

/** A turn of the event loop per batch, as a real run has: the history stream's writes drain. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function nsPerOp(task: Task | undefined): number {
  const result = task?.result;
  if (!result || !('latency' in result)) throw new Error(`task ${task?.name ?? '?'} did not complete: ${result?.state}`);
  return (result.latency.mean * 1e6) / BATCH;
}

interface RoundFigures {
  readonly baselineNs: number;
  readonly recordingNs: number;
  readonly recorderOnlyNs: number;
  readonly historyOnlyNs: number;
  readonly historyBytes: number;
}

async function measureRound(dir: string, round: number): Promise<RoundFigures> {
  const clock = new RunClock();
  const recorder = new LatencyRecorder();
  const path = join(dir, `history-${round}.jsonl`);
  // The serialisers a real run uses: the e-commerce workload's compiled value schemas.
  const history = new HistoryWriter(path, SERIALIZERS);
  try {
    const bench = new Bench({ time: 600, warmupTime: 200 });
    bench
      .add('baseline', async () => {
        batch(clock, {});
        await yieldToLoop();
      })
      .add('recording', async () => {
        batch(clock, { recorder, history });
        await yieldToLoop();
      })
      // The two halves apart, to tell which one to look at if the total ever grows.
      .add('recorder-only', async () => {
        batch(clock, { recorder });
        await yieldToLoop();
      })
      .add('history-only', async () => {
        batch(clock, { history });
        await yieldToLoop();
      });
    const tasks = await bench.run();
    const byName = (name: string) => nsPerOp(tasks.find((t) => t.name === name));
    await history.close();
    return {
      baselineNs: byName('baseline'),
      recordingNs: byName('recording'),
      recorderOnlyNs: byName('recorder-only'),
      historyOnlyNs: byName('history-only'),
      historyBytes: (await stat(path)).size,
    };
  } finally {
    await history.close();
    // Hundreds of MB of history per round in RAM (/dev/shm): gone before the next round.
    await rm(path, { force: true });
  }
}

export async function runBench(print: Print): Promise<BenchReport> {
  const dir = join(scratchBase(), `${BENCH_MARKER}-recording`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const rounds: RoundFigures[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const r = await measureRound(dir, round);
      rounds.push(r);
      print(
        `  round ${round + 1}/${ROUNDS}: recording ${fixed(r.recordingNs, 0)} ns/op, baseline ${fixed(r.baselineNs, 0)} ns/op (recorder only ${fixed(r.recorderOnlyNs, 0)}, history only ${fixed(r.historyOnlyNs, 0)})`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  void sink;
  const recordingNs = median(rounds.map((r) => r.recordingNs));
  const baselineNs = median(rounds.map((r) => r.baselineNs));
  const netNs = median(rounds.map((r) => r.recordingNs - r.baselineNs));
  const ratio = recordingNs / baselineNs;
  // The goal is on the net cost: building the events is the driver's work with or without recording.
  const met = netNs / 1000 < GOAL_US;
  const recorderNetNs = median(rounds.map((r) => r.recorderOnlyNs - r.baselineNs));
  const historyNetNs = median(rounds.map((r) => r.historyOnlyNs - r.baselineNs));
  await writeFigures(NAME, {
    unit: 'ns per operation (invoke + completion + histogram)',
    rounds: ROUNDS,
    batch: BATCH,
    medians: {
      recordingNs,
      baselineNs,
      netNs,
      recorderOnlyNetNs: recorderNetNs,
      historyOnlyNetNs: historyNetNs,
    },
    perRound: rounds,
    ratioToBaseline: ratio,
    goal: { netMicrosecondsBelow: GOAL_US },
    met,
  });
  const line =
    `recording: ${fixed(netNs / 1000, 2)} µs/op net (${fixed(recordingNs, 0)} ns with recording vs ${fixed(baselineNs, 0)} ns ` +
    `constructing events only -> ratio ${fixed(ratio, 1)}) (goal < ${GOAL_US} µs) ${verdict(met)}`;
  const detail = `  split: LatencyRecorder.record ${fixed(recorderNetNs, 0)} ns/op, HistoryWriter invoke + complete ${fixed(historyNetNs, 0)} ns/op`;
  return { name: NAME, line, met, detail };
}
