import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { runScenario } from '../../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { operationMix } from '../../../src/harness/workload/ecommerce/operation-mix.ts';

// The partitioning scenarios, run for real (shortened): a coordinator and 3 shards each, every
// figure read back from results.json as a user would. Skew comes from the shards' own
// pg_stat_user_tables, fan-out from running each operation alone and seeing which shards moved.

const SCENARIOS = ['hash-orders', 'range-orders', 'range-price', 'hash-price', 'list-region'] as const;
type Name = (typeof SCENARIOS)[number];

let reports: string;
const runs = {} as Record<Name, { results: RunResults; dir: string }>;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-partitioning-'));
  for (const name of SCENARIOS) {
    const { scenario } = await loadScenario(`scenarios/partitioning/${name}.yaml`, ['workload.duration=5s', 'workload.warmup=500ms']);
    const outcome = await runScenario(scenario, { reportsRoot: reports, print: () => {} });
    runs[name] = { results: outcome.results, dir: outcome.reportDir };
  }
}, 300_000);

afterAll(async () => {
  if (reports && existsSync(reports)) await rm(reports, { recursive: true, force: true });
});

describe('pg-partitioned runs', () => {
  it.each(SCENARIOS)('%s: completes with no FDW error and every check passing', (name) => {
    const { results } = runs[name];
    expect(results.run.error).toBeUndefined();
    expect(results.run.status).toBe('completed');
    for (const [op, stats] of Object.entries(results.operations)) {
      // postgres_fdw runs remote transactions at REPEATABLE READ, so two concurrent updates of one
      // row (two recommendations for the same customer) can end in a serialization failure: that
      // is the topology's real behaviour, counted as a fail. Any other error class is a bug.
      const unexpected = Object.keys(stats!.errors).filter((error) => error !== 'serialization' && error !== 'out-of-stock');
      expect({ op, unexpected, info: stats!.info }).toEqual({ op, unexpected: [], info: 0 });
      expect(stats!.fanout, op).toBeTypeOf('number');
    }
    // Only operations of the scenario's mix (its own list, or the default one), and every one the
    // run should have drawn: a 5 s run on a loaded machine may complete a few hundred operations,
    // and an operation expected fewer than 7 times (restock, expire-carts) may then never come up
    // (a chance of 1 in 1,000 at 7). The seed fixes the order of draws, not how many complete.
    const mix = operationMix(results.resolvedScenario.workload);
    const weights = mix.reduce((sum, entry) => sum + entry.weight, 0);
    const total = Object.values(results.operations).reduce((sum, stats) => sum + stats!.count, 0);
    expect(Object.keys(results.operations).filter((f) => !mix.some((entry) => entry.f === f))).toEqual([]);
    const expected = mix.filter((entry) => (total * entry.weight) / weights >= 7).map((entry) => entry.f);
    expect(expected.filter((f) => !(f in results.operations))).toEqual([]);
    for (const check of Object.values(results.checks)) expect(check.verdict).not.toBe('invalid');
    expect(results.shards?.map((s) => s.name)).toEqual(['shard1', 'shard2', 'shard3']);
  });

  it('sequential order ids: range puts every insert on the last shard, hash spreads them', () => {
    const range = runs['range-orders'].results;
    const hash = runs['hash-orders'].results;
    expect(range.skew!.inserts!).toBeGreaterThanOrEqual(2.5);
    expect(range.shards!.slice(0, 2).every((s) => s.inserts === 0)).toBe(true);
    // Hashing spreads n orders over 3 shards as a fair die would: max / mean stays within about
    // 1 + 3 standard deviations (sqrt(2 / n)) of 1. n counts orders, not inserted rows: an order's
    // lines go with it to one shard, so rows land in clusters (a bound on rows, 1.32 at 172 rows,
    // failed at 1.36 on a loaded machine). 3.3 deviations, not 3: orders differ in their number
    // of lines, which widens the spread of rows by about a tenth.
    const orders = hash.operations.checkout?.ok ?? 0;
    expect(orders).toBeGreaterThan(0);
    expect(hash.skew!.inserts!).toBeLessThanOrEqual(Math.max(1.2, 1 + 3.3 * Math.sqrt(2 / orders)));
    expect(hash.shards!.every((s) => s.inserts > 0)).toBe(true);
    // An order and its lines live together, and the coordinator routes the insert to one shard.
    expect(range.operations.checkout!.fanout).toBe(1);
  });

  it('lookup by id: 1 shard when products are hashed by id, all 3 when they are split by price', () => {
    expect(runs['hash-orders'].results.operations['view-product']!.fanout).toBe(1);
    expect(runs['range-price'].results.operations['view-product']!.fanout).toBe(3);
    // The workload's browse has no price predicate (WHERE category_id = $1 ORDER BY price): nothing to prune.
    expect(runs['range-price'].results.operations['browse-category']!.fanout).toBe(3);
    // A query on a non-key column goes everywhere.
    expect(runs['hash-orders'].results.operations['order-history']!.fanout).toBe(3);
  });

  it('browse by price range: 1 shard when products are split by price, all 3 when hashed by id', () => {
    // The band [minPrice, maxPrice) lies inside one range partition, so the planner prunes the other two.
    expect(runs['range-price'].results.operations['browse-price']!.fanout).toBe(1);
    expect(runs['hash-price'].results.operations['browse-price']!.fanout).toBe(3);
    expect(runs['hash-price'].results.operations['view-product']!.fanout).toBe(1);
  });

  it('list by region: rows follow the regions, and shard3 holds two of the four', () => {
    const shards = runs['list-region'].results.shards!;
    expect(shards[2]!.rows).toBeGreaterThan(shards[0]!.rows);
    expect(shards.every((s) => s.rows > 0 && s.bytes > 0)).toBe(true);
  });

  it('writes the per-second series, the shard-load history events, the md table and the heatmap chart', async () => {
    const { results, dir } = runs['range-orders'];
    expect(results.shardSeries!.length).toBeGreaterThanOrEqual(9);
    expect(results.shardSeries!.filter((p) => p.shard !== 'shard3').every((p) => p.inserts === 0)).toBe(true);
    const history = await readFile(join(dir, 'history.jsonl'), 'utf8');
    expect(history).toContain('"type":"shard-load"');
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/## Shards[\s\S]*skew \(max \/ mean\)/);
    expect(md).toContain('| checkout | 1 of 3 |');
    expect(existsSync(join(dir, 'charts', 'shard-load.vl.json'))).toBe(true);
  });
});
