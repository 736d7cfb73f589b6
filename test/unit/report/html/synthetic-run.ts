import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { historyLine } from '../../../../src/harness/history/history-line.ts';
import type { HistoryEvent, Outcome } from '../../../../src/harness/history/history-types.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import type { OperationName } from '../../../../src/harness/scenario/schema.ts';
import { completedRun } from '../fixtures.ts';

// A realistic history.jsonl without a database, for report.html's tests and its benchmark: the
// quickstart's operation mix at a steady rate, a kill of the primary with a failover (connection
// errors, a latency spike, a write outage), a partition that makes replica staleness climb, lag
// samples every 100 ms and role changes, written with the harness's own line writer. Seeded:
// the same options always give the same bytes.

export interface SyntheticFault {
  readonly kind: string;
  readonly targets: readonly string[];
  readonly atSeconds: number;
  readonly durationSeconds: number;
}

export interface SyntheticRunOptions {
  readonly seconds: number;
  readonly warmupSeconds?: number;
  readonly opsPerSecond: number;
  readonly faults?: readonly SyntheticFault[];
  /** A failover from primary to replica1 this long after the first kill starts. */
  readonly failoverAfterSeconds?: number;
  readonly nodes?: readonly string[];
  readonly seed?: number;
}

const MIX: readonly [OperationName, number, number][] = [
  // operation, weight, median latency (ms)
  ['browse-category', 20, 1.0],
  ['view-product', 30, 0.9],
  ['order-history', 10, 1.0],
  ['recommendations', 5, 3.0],
  ['add-to-cart', 15, 1.5],
  ['checkout', 10, 5.8],
  ['rate-product', 5, 1.5],
  ['restock', 4, 1.5],
  ['expire-carts', 1, 1.3],
];
const WRITES = new Set<OperationName>(['add-to-cart', 'checkout', 'rate-product', 'restock', 'expire-carts', 'recommendations']);
const TOTAL_WEIGHT = MIX.reduce((sum, [, weight]) => sum + weight, 0);
/** Where the run clock stood when the driver began (provisioning and loading came first). */
const LOAD_START_MS = 1_700;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const DEFAULT_FAULTS: readonly SyntheticFault[] = [
  { kind: 'partition', targets: ['primary->replica1', 'replica1->primary'], atSeconds: 0.2, durationSeconds: 0.3 },
  { kind: 'kill', targets: ['primary'], atSeconds: 0.5, durationSeconds: 0.25 },
];

/** Fault windows in ms from the measured run's start; `atSeconds` and `durationSeconds` are fractions of the run. */
function faultWindows(options: SyntheticRunOptions): { fault: SyntheticFault; startMs: number; endMs: number }[] {
  return (options.faults ?? DEFAULT_FAULTS).map((fault) => ({
    fault,
    startMs: Math.round(fault.atSeconds * options.seconds * 1000),
    endMs: Math.round((fault.atSeconds + fault.durationSeconds) * options.seconds * 1000),
  }));
}

/** Writes the history; returns how many measured operations it holds. */
export async function writeSyntheticHistory(path: string, options: SyntheticRunOptions): Promise<number> {
  const random = mulberry32(options.seed ?? 42);
  const warmupMs = (options.warmupSeconds ?? 1) * 1000;
  const origin = LOAD_START_MS + warmupMs;
  const nodes = options.nodes ?? ['primary', 'replica1', 'replica2'];
  const windows = faultWindows(options);
  const kill = windows.find((w) => w.fault.kind.startsWith('kill'));
  const partition = windows.find((w) => w.fault.kind === 'partition');
  const failover = kill && options.failoverAfterSeconds !== undefined ? kill.startMs + options.failoverAfterSeconds * 1000 : undefined;
  const out = createWriteStream(path);
  let batch: string[] = [];
  const emit = async (event: HistoryEvent) => {
    batch.push(historyLine(event));
    if (batch.length >= 10_000) await flush();
  };
  const flush = async () => {
    if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
    batch = [];
  };
  const wall = new Date(Date.UTC(2026, 10, 21, 14, 5, 9)).toISOString();
  await emit({ type: 'roles', time: LOAD_START_MS - 50, writable: [nodes[0]!] });
  await emit({ type: 'phase', phase: 'warmup', time: LOAD_START_MS, wallClock: wall });
  const events: HistoryEvent[] = [{ type: 'phase', phase: 'run', time: origin + 0.4, wallClock: wall }];
  for (const [index, w] of windows.entries()) {
    events.push({ type: 'fault', action: 'start', id: index + 1, kind: w.fault.kind, targets: w.fault.targets, time: origin + w.startMs, wallClock: wall });
    events.push({ type: 'fault', action: 'end', id: index + 1, kind: w.fault.kind, targets: w.fault.targets, time: origin + w.endMs, wallClock: wall });
  }
  if (kill && failover !== undefined) {
    events.push({ type: 'roles', time: origin + kill.startMs + 40, writable: [] });
    events.push({ type: 'roles', time: origin + failover - 20, writable: [nodes[1]!] });
    events.push({ type: 'failover', from: nodes[0]!, to: nodes[1]!, time: origin + failover, detectedAt: origin + failover - 260 });
  }
  const endMs = options.seconds * 1000;
  for (let at = -warmupMs + 100; at < endMs; at += 100) {
    for (const node of nodes.slice(1)) {
      const cut = partition && at >= partition.startMs && at < partition.endMs && partition.fault.targets.some((t) => t.includes(node));
      const stalenessMs = cut ? at - partition.startMs : Math.round(random() * 300) / 100;
      events.push({ type: 'lag', node, time: origin + at + random() * 5, stalenessMs, replayLagMs: cut ? 0 : Math.round(random() * 200) / 100 });
    }
  }
  events.sort((a, b) => a.time - b.time);
  let pending = 0;

  const total = Math.round(((warmupMs + endMs) / 1000) * options.opsPerSecond);
  let measured = 0;
  for (let id = 1; id <= total; id++) {
    const start = LOAD_START_MS + ((id - 1) * 1000) / options.opsPerSecond;
    while (pending < events.length && events[pending]!.time <= start) await emit(events[pending++]!);
    let pick = random() * TOTAL_WEIGHT;
    const [f, , median] = MIX.find(([, weight]) => (pick -= weight) < 0) ?? MIX[0]!;
    const atMs = start - origin;
    const down = kill !== undefined && atMs >= kill.startMs && atMs < (failover ?? kill.endMs);
    const write = WRITES.has(f);
    let outcome: Outcome = 'ok';
    // Log-normal around the operation's median; a dead primary fails writes fast, a few hang until a timeout.
    let latency = median * Math.exp(0.6 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    if (down && write) {
      outcome = random() < 0.02 ? 'info' : 'fail';
      latency = outcome === 'info' ? 50 + random() * 150 : 5 + random() * 20;
    } else if (down) latency *= 8;
    const node = write ? (failover !== undefined && atMs >= failover ? nodes[1]! : nodes[0]!) : nodes[1 + (id % Math.max(1, nodes.length - 1))] ?? nodes[0]!;
    const worker = id % 8;
    const value = { customerId: 1 + (id % 2000), productId: 1 + ((id * 7) % 500), quantity: 1 + (id % 3) };
    await emit({ type: 'invoke', id, f, worker, node, time: start, value });
    const error = outcome === 'ok' ? undefined : 'connection';
    await emit({ type: outcome, id, f, worker, node, time: start + latency, latency, ...(error ? { error } : {}), ...(outcome === 'ok' ? { value: { ok: true, id } } : {}) });
    if (atMs >= 0) measured++;
  }
  while (pending < events.length) await emit(events[pending++]!);
  await flush();
  out.end();
  await once(out, 'finish');
  return measured;
}

/** results.json for a synthetic run: the report fixture, with this run's length, faults and failover. */
export function syntheticResults(options: SyntheticRunOptions): RunResults {
  const base = completedRun();
  const windows = faultWindows(options);
  const kill = windows.find((w) => w.fault.kind.startsWith('kill'));
  const nodes = options.nodes ?? ['primary', 'replica1', 'replica2'];
  const promoted = kill && options.failoverAfterSeconds !== undefined ? kill.startMs + options.failoverAfterSeconds * 1000 : undefined;
  return {
    ...base,
    run: { ...base.run, measuredMs: options.seconds * 1000 },
    resolvedScenario: {
      ...base.resolvedScenario,
      workload: { ...base.resolvedScenario.workload, duration: options.seconds * 1000, warmup: (options.warmupSeconds ?? 1) * 1000 },
    },
    topology: { kind: base.topology.kind, nodes: nodes.map((name, i) => ({ name, role: i === 0 ? 'primary' : 'replica', host: '127.0.0.1', port: 50_000 + i })) },
    faults: windows.map((w, index) => ({ id: index + 1, kind: w.fault.kind, targets: w.fault.targets, startMs: w.startMs, endMs: w.endMs })),
    failovers: promoted === undefined ? [] : [{ from: nodes[0]!, to: nodes[1]!, detectedAtMs: promoted - 260, promotedAtMs: promoted }],
  };
}
