import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { runScenario } from '../../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';

// The EU expansion known answer, measured on real servers through the link proxy (40 ms one way
// between us-east and eu-west): an EU customer's checkout pays at least one transatlantic round
// trip under a single leader in us-east, and none under multi-leader or geo-partitioning.
// Shortened runs; the transatlantic cut happens in each, briefly.

const OPTIONS = ['single-leader', 'multi-leader', 'geo-partitioned'] as const;
type Option = (typeof OPTIONS)[number];
const ROUND_TRIP_MS = 80;

let reports: string;
const runs = {} as Record<Option, RunResults>;

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-eu-'));
  for (const option of OPTIONS) {
    const { scenario } = await loadScenario(`scenarios/eu-expansion/${option}.yaml`, [
      'workload.duration=5s',
      'workload.warmup=1s',
      'faults=[{ kind: partition, between: [us-east, eu-west], at: 2s, duration: 1s }]',
    ]);
    runs[option] = (await runScenario(scenario, { reportsRoot: reports, print: () => {} })).results;
  }
}, 240_000);

afterAll(async () => {
  if (reports && existsSync(reports)) await rm(reports, { recursive: true, force: true });
});

const checkoutP50 = (results: RunResults, region: string) => results.regions![region]!.operations.checkout!.latencyMs.p50;

describe('EU expansion, measured', () => {
  it.each(OPTIONS)('%s: completes, with figures for the clients of each region', (option) => {
    const results = runs[option];
    expect(results.run.error).toBeUndefined();
    expect(results.run.status).toBe('completed');
    expect(Object.keys(results.regions!).sort()).toEqual(['eu-west', 'us-east']);
    for (const region of ['us-east', 'eu-west']) expect(results.regions![region]!.operations.checkout!.ok).toBeGreaterThan(0);
    for (const check of Object.values(results.checks)) expect(check.verdict).not.toBe('invalid');
  });

  it('single leader in us-east: an EU checkout costs at least one transatlantic round trip more than a US one', () => {
    const results = runs['single-leader'];
    expect(checkoutP50(results, 'eu-west') - checkoutP50(results, 'us-east')).toBeGreaterThanOrEqual(ROUND_TRIP_MS);
  });

  it.each(['multi-leader', 'geo-partitioned'] as const)('%s: an EU checkout stays in Europe (less than a round trip above a US one)', (option) => {
    const results = runs[option];
    expect(checkoutP50(results, 'eu-west') - checkoutP50(results, 'us-east')).toBeLessThan(ROUND_TRIP_MS / 2);
  });

  it('single leader: lost writes and session guarantees are counted per client region, adding up to the totals', () => {
    const { checks } = runs['single-leader'];
    const perRegion = (check: string, name: string) => {
      const counts = checks[check]!.counts;
      expect(Object.keys(counts).filter((key) => key.startsWith(`${name}@`)).sort()).toEqual([`${name}@eu-west`, `${name}@us-east`]);
      expect(counts[`${name}@us-east`]! + counts[`${name}@eu-west`]!).toBe(counts[name]);
    };
    perRegion('lost-writes', 'acknowledged');
    perRegion('lost-writes', 'lost');
    for (const check of ['read-your-writes', 'monotonic-reads']) {
      perRegion(check, 'readsChecked');
      perRegion(check, 'violations');
    }
  });

  it('reads from the EU replica stay local under the single leader', () => {
    const eu = runs['single-leader'].regions!['eu-west']!.operations['view-product']!;
    expect(eu.latencyMs.p50).toBeLessThan(ROUND_TRIP_MS / 2);
  });
});
