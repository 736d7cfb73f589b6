import { Scenario } from '../../../src/harness/scenario/schema.ts';
import type { OperationName } from '../../../src/harness/scenario/schema.ts';
import { RESULTS_SCHEMA_VERSION } from '../../../src/harness/results/results-types.ts';
import type { LatencySummary, OperationStats, RunResults } from '../../../src/harness/results/results-types.ts';

// A realistic RunResults for report tests (and anyone else who needs one): a 20 s closed-loop run
// against a primary and two async replicas, with some out-of-stock fails, a timeout, and an
// invariants checker that found a lost update. Builders return fresh objects; spread to vary.

/** The per-run database password the harness would have generated; it must never reach a report. */
export const FIXTURE_PASSWORD = 'fl-9f8e7d6c5b4a3921';

function latency(p50: number, p90: number, p99: number, p999: number, max: number, mean: number): LatencySummary {
  return { p50, p90, p99, p999, max, mean };
}

// Fails certainly did not happen (a rollback); infos may have (a timeout, a dropped connection).
const INFO_CLASSES = new Set(['timeout', 'connection']);

/** Counts by outcome derived from the error classes, so they always agree. */
function stats(ok: number, errors: Record<string, number>, latencyMs: LatencySummary, measuredMs: number): OperationStats {
  const kept = Object.fromEntries(Object.entries(errors).filter(([, n]) => n > 0));
  const sum = (info: boolean) =>
    Object.entries(kept).reduce((total, [name, n]) => total + (INFO_CLASSES.has(name) === info ? n : 0), 0);
  const fail = sum(false);
  const info = sum(true);
  const count = ok + fail + info;
  return { count, ok, fail, info, throughput: count / (measuredMs / 1000), errors: kept, latencyMs };
}

export function fixtureScenario(loop: 'closed' | 'open' = 'closed'): Scenario {
  return Scenario.parse({
    name: 'checkout-under-replication',
    description: 'Checkout-heavy mix against a primary with two async replicas; reads of product pages go to replicas.',
    seed: 42,
    topology: { kind: 'pg-single-leader', replicas: 2, replication: 'async', settings: { synchronous_commit: 'on' } },
    workload: {
      duration: '20s',
      warmup: '2s',
      loop: loop === 'closed' ? { kind: 'closed', concurrency: 8 } : { kind: 'open', rate: 500, arrivals: 'poisson', connections: 16 },
      operations: {
        'browse-category': { weight: 30, readFrom: 'replicas' },
        'view-product': { weight: 30, keys: 'zipfian', readFrom: 'replicas' },
        'add-to-cart': { weight: 20 },
        checkout: { weight: 15, keys: 'hotspot' },
        'order-history': { weight: 5 },
      },
    },
  });
}

/**
 * The full 20 s closed-loop run's figures, scaled: by `share` of its rate (an open loop offers
 * less) and by how much of the measured phase ran (a failed run stops early).
 */
function fixtureOperations(measuredMs: number, share: number): Partial<Record<OperationName, OperationStats>> {
  const n = (full: number) => Math.round((full * share * measuredMs) / 20_004);
  const op = (ok: number, errors: Record<string, number>, latencyMs: LatencySummary) =>
    stats(n(ok), Object.fromEntries(Object.entries(errors).map(([name, count]) => [name, n(count)])), latencyMs, measuredMs);
  return {
    'browse-category': op(7_412, {}, latency(0.81, 1.62, 4.9, 12.3, 31.7, 1.02)),
    'view-product': op(7_388, { timeout: 2 }, latency(0.64, 1.31, 4.2, 11.8, 5_003.1, 2.1)),
    'add-to-cart': op(4_950, { 'pg:40001': 3 }, latency(2.41, 4.87, 11.6, 27.4, 58.2, 2.9)),
    checkout: op(3_511, { 'out-of-stock': 180, 'pg:40P01': 7, connection: 1 }, latency(6.93, 14.2, 38.5, 112.7, 240.4, 8.4)),
    'order-history': op(1_236, {}, latency(1.95, 3.8, 9.71, 20.2, 22.9, 2.3)),
  };
}

function totalsOf(operations: Partial<Record<string, OperationStats>>): OperationStats {
  const all = Object.values(operations).filter((s): s is OperationStats => s !== undefined);
  const errors: Record<string, number> = {};
  for (const s of all) for (const [name, n] of Object.entries(s.errors)) errors[name] = (errors[name] ?? 0) + n;
  const sum = (pick: (s: OperationStats) => number) => all.reduce((total, s) => total + pick(s), 0);
  return {
    count: sum((s) => s.count),
    ok: sum((s) => s.ok),
    fail: sum((s) => s.fail),
    info: sum((s) => s.info),
    throughput: sum((s) => s.throughput),
    errors,
    latencyMs: latency(1.12, 5.3, 21.4, 84.9, 5_003.1, 2.6),
  };
}

interface RunShape {
  readonly loop: 'closed' | 'open';
  readonly measuredMs: number;
}

function buildRun({ loop, measuredMs }: RunShape): RunResults {
  const operations = fixtureOperations(measuredMs, loop === 'closed' ? 1 : 0.4);
  const totals = totalsOf(operations);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    scenario: { name: 'checkout-under-replication', description: fixtureScenario().description, seed: 42 },
    resolvedScenario: fixtureScenario(loop),
    faults: [],
    failovers: [],
    run: {
      id: '2026-11-21T14-05-09Z-3f2a',
      startedAt: '2026-11-21T14:05:09.412Z',
      finishedAt: '2026-11-21T14:05:41.877Z',
      status: 'completed',
      phasesMs: { provision: 6_204, load: 3_118, warmup: 2_001, run: measuredMs, quiesce: 512, check: 611 },
      measuredMs,
    },
    environment: { node: 'v20.20.2', engine: 'PostgreSQL 17.2', postgres: 'PostgreSQL 17.2', cpus: 2, platform: 'linux-x64' },
    topology: {
      kind: 'pg-single-leader',
      nodes: [
        { name: 'pg0', role: 'primary', host: '127.0.0.1', port: 54_321 },
        { name: 'pg1', role: 'replica', host: '127.0.0.1', port: 54_322 },
        { name: 'pg2', role: 'replica', host: '127.0.0.1', port: 54_323 },
      ],
    },
    dataset: {
      rows: { customers: 1_000, categories: 12, products: 200, stock: 800, ratings: 3_000, orders: 1_000, order_lines: 2_512 },
      loadMs: 3_021,
    },
    load:
      loop === 'closed'
        ? { loop, workers: 8, lateStarts: 0, achievedRate: totals.throughput }
        : { loop, workers: 16, targetRate: 500, lateStarts: 37, achievedRate: totals.throughput },
    operations,
    totals,
    checks: {
      invariants: {
        verdict: 'invalid',
        counts: { 'orders checked': 4_711, 'stock rows checked': 800, 'lost updates': 2, 'negative stock': 0 },
        examples: [
          { product: 17, warehouse: 'EMEA', expected: 412, actual: 413, orders: [1_204, 1_377] },
          { product: 112, warehouse: 'NA', expected: 96, actual: 97, orders: [2_990] },
        ],
        explanation:
          'Stock plus units sold must equal initial stock for every product and warehouse.\n\n' +
          'Two rows hold one unit more than the orders allow: a checkout decremented stock that a ' +
          'concurrent checkout then overwrote (a lost update).',
      },
    },
  };
}

/** 20 s closed loop, 8 workers; the invariants checker found two lost updates. */
export function completedRun(): RunResults {
  return buildRun({ loop: 'closed', measuredMs: 20_004 });
}

/** The same scenario as an open loop at 500 ops/s (Poisson arrivals), slightly behind target. */
export function openLoopRun(): RunResults {
  return buildRun({ loop: 'open', measuredMs: 20_004 });
}

/** The primary died 7.3 s into measurement: partial figures, no checks, an error message. */
export function failedRun(loop: 'closed' | 'open' = 'closed'): RunResults {
  const base = buildRun({ loop, measuredMs: 7_310 });
  return {
    ...base,
    run: {
      ...base.run,
      finishedAt: '2026-11-21T14:05:28.140Z',
      status: 'failed',
      error: 'primary pg0 exited unexpectedly (signal SIGKILL) during the run phase; see pg0.log',
      phasesMs: { provision: 6_204, load: 3_118, warmup: 2_001, run: 7_310 },
    },
    checks: {},
  };
}
