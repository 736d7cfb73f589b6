import type { ChartContext } from '../../../../src/harness/report/html/charts/chart-types.ts';
import type { HistoryDigest } from '../../../../src/harness/report/html/digest/digest-types.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import { completedRun } from '../fixtures.ts';
import { regionalCentral } from '../topology-results-fixtures.ts';

// A small chart context for the builders' unit tests: 10 s measured, two operations, a partition
// overlapping a kill with its failover, two replicas' lag, and the writable spans around it.

export function testDigest(overrides: Partial<HistoryDigest> = {}): HistoryDigest {
  const latency = [0.5, 1.5, 2.5].flatMap((t) =>
    (['checkout', 'view-product'] as const).flatMap((f) => [
      { t, f, quantile: 'p50' as const, ms: f === 'checkout' ? 6 : 1 },
      { t, f, quantile: 'p99' as const, ms: f === 'checkout' ? 40 : 5 },
    ]),
  );
  return {
    endSeconds: 10,
    bucketSeconds: 1,
    completions: 1_000,
    latency,
    outcomes: Array.from({ length: 10 }, (_, t) => ({ t, ok: t === 5 ? 0 : 100, fail: t === 5 ? 20 : 0, info: t === 5 ? 1 : 0 })),
    scatter: [
      { id: 1, t: 0.1, ms: 2, f: 'checkout', outcome: 'ok' },
      { id: 2, t: 5.2, ms: 9, f: 'checkout', outcome: 'fail' },
      { id: 3, t: 5.3, ms: 300, f: 'view-product', outcome: 'info' },
    ],
    lag: [
      { t: 0, node: 'pg1', series: 'staleness', ms: 1 },
      { t: 0, node: 'pg1', series: 'replay lag', ms: 0.5 },
      { t: 4, node: 'pg2', series: 'staleness', ms: 900 },
    ],
    writable: [
      { node: 'pg0', from: 0, to: 5 },
      { node: 'pg1', from: 6.2, to: 10 },
    ],
    writableChanged: true,
    faults: [],
    lines: 2_000,
    skippedLines: 0,
    ...overrides,
  };
}

export function testResults(overrides: Partial<RunResults> = {}): RunResults {
  return {
    ...completedRun(),
    faults: [
      { id: 1, kind: 'partition', targets: ['pg0->pg1'], startMs: 2_000, endMs: 8_000 },
      { id: 2, kind: 'kill', targets: ['pg0'], startMs: 5_000 },
    ],
    failovers: [{ from: 'pg0', to: 'pg1', detectedAtMs: 5_900, promotedAtMs: 6_200 }],
    // pg-partitioned's per-second shard load, so the shard-load heatmap has something to draw.
    shardSeries: [0, 1, 2].flatMap((time) =>
      ['shard1', 'shard2'].map((shard) => ({ time, shard, reads: 10, inserts: shard === 'shard2' ? 40 : 0, updates: 1 })),
    ),
    // pg-regional-central's per-second freshness, so the central-freshness chart has something to draw.
    regionalCentral: regionalCentral(),
    // Client regions, so the per-region latency chart has something to draw.
    regions: {
      'us-east': { workers: 2, operations: completedRun().operations, totals: completedRun().totals },
      'eu-west': { workers: 2, operations: completedRun().operations, totals: completedRun().totals },
    },
    ...overrides,
  };
}

export function testContext(results: RunResults = testResults(), digest: HistoryDigest = testDigest()): ChartContext {
  return { results, digest, faults: results.faults, operations: ['view-product', 'checkout'] };
}
