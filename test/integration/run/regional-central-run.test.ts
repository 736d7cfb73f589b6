import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { runScenario } from '../../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';

// scenarios/regional-central.yaml as `faultline run` runs it: Seattle, Boston and Denver take
// their customers' orders, central receives them by logical replication, Seattle's link to
// central is cut for 4 s and healed. Read back from results.json and report.md as a user would.

let reports: string;
let results: RunResults;
let reportMd: string;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-regional-'));
  const { scenario } = await loadScenario('scenarios/regional-central.yaml');
  const outcome = await runScenario(scenario, { reportsRoot: reports, print: () => {} });
  results = outcome.results;
  reportMd = await readFile(join(outcome.reportDir, 'report.md'), 'utf8');
}, 240_000);

afterAll(async () => {
  if (reports && existsSync(reports)) await rm(reports, { recursive: true, force: true });
});

describe('scenarios/regional-central.yaml', () => {
  it('completes, every operation answered by its region', () => {
    expect(results.run.error).toBeUndefined();
    expect(results.run.status).toBe('completed');
    expect(results.faults).toEqual([expect.objectContaining({ kind: 'partition', startMs: expect.any(Number), endMs: expect.any(Number) })]);
    for (const [op, stats] of Object.entries(results.operations)) expect({ op, errors: stats!.errors, info: stats!.info }).toEqual({ op, errors: {}, info: 0 });
  });

  it('after heal, central holds every acknowledged regional order exactly once', () => {
    const check = results.checks['central-completeness']!;
    expect(check.verdict).toBe('valid');
    expect(check.counts.acknowledged).toBeGreaterThan(100);
    expect(check.counts).toMatchObject({ onCentral: check.counts.acknowledged, missingCentral: 0, duplicated: 0, incomplete: 0, extra: 0, missingRegional: 0 });
    expect(results.regionalCentral?.completeness).toEqual(check.counts);
  });

  it('reports the freshness lag per region: Seattle\'s covers the cut, the others do not', () => {
    const freshness = results.regionalCentral!.freshnessMs;
    expect(Object.keys(freshness)).toEqual(['seattle', 'boston', 'denver']);
    for (const spread of Object.values(freshness)) expect(spread!.samples).toBeGreaterThan(50);
    // A 4 s cut: central's view of Seattle falls seconds behind, then catches up.
    expect(freshness.seattle!.max).toBeGreaterThan(2_000);
    expect(freshness.seattle!.max).toBeGreaterThan(freshness.boston!.max);
    expect(freshness.seattle!.max).toBeGreaterThan(freshness.denver!.max);
    const seattle = results.regionalCentral!.freshnessSeries.filter((p) => p.region === 'seattle');
    expect(seattle.at(-1)!.maxMs).toBeLessThan(1_000);
    expect(results.checks['replication-lag']!.verdict).not.toBe('invalid');
  });

  it('answers the analytics on central and shows everything in report.md', () => {
    const analytics = results.regionalCentral!.analytics!;
    expect(analytics.salesByRegion.map((s) => [s.customerRegion, s.region])).toEqual([['APJ', 'denver'], ['EMEA', 'boston'], ['LATAM', 'denver'], ['NA', 'seattle']]);
    const runOrders = analytics.salesByRegion.reduce((sum, s) => sum + s.runOrders, 0);
    expect(runOrders).toBeGreaterThanOrEqual(results.checks['central-completeness']!.counts.acknowledged!);
    expect(analytics.topProducts).toHaveLength(5);
    expect(reportMd).toContain('## Regions and central');
    expect(reportMd).toMatch(/\| seattle \| \d[\d,]* \| [\d.,]+ \| [\d.,]+ \| [\d.,]+ \|/);
    expect(reportMd).toContain('Analytics on central');
  });
});
