import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSizing } from '../../../src/harness/sizing/build-sizing.ts';
import { planSizing, type SizingPlan } from '../../../src/harness/sizing/plan-sizing.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { uslThroughput } from '../../../src/harness/sizing/usl-model.ts';
import { ROOT } from '../cli/run-cli.ts';
import { outcomesFor } from './sizing-fixtures.ts';

const DIR = '/reports/quickstart-sizing/run';
const TRUTH = { lambda: 60, sigma: 0.05, kappa: 0.004 };
const LEVELS = [1, 2, 4, 8, 16];

let plan: SizingPlan;
beforeAll(async () => {
  plan = planSizing(await loadScenario(join(ROOT, 'scenarios/quickstart.yaml')), [], { concurrency: LEVELS.join(','), target: '1000', duration: '2s' });
});

const exact = LEVELS.map((n) => ({ ordersPerSecond: uslThroughput(TRUTH, n), okOpsPerSecond: 10 * uslThroughput(TRUTH, n) }));

describe('buildSizing', () => {
  it('takes each level as measured, fits both series, and sizes the target', () => {
    const report = buildSizing(plan, { runId: 'run', dir: DIR, file: 'scenarios/quickstart.yaml', outcomes: outcomesFor(plan, exact, DIR) });
    const [group] = report.groups;
    expect(group!.levels.map((l) => [l.concurrency, l.dir, l.fitted])).toEqual(LEVELS.map((n) => [n, `concurrency=${n}`, true]));
    expect(group!.levels[0]).toMatchObject({ ordersPerSecond: expect.closeTo(60, 6), checkout: { fail: 2, info: 1 }, measuredMs: 10_000 });
    const orders = group!.orders;
    if (orders.kind !== 'fitted') throw new Error(orders.reason);
    expect(orders.parameters.sigma).toBeCloseTo(0.05, 4);
    expect(orders.parameters.kappa).toBeCloseTo(0.004, 5);
    expect(orders.peakExtrapolated).toBe(false);
    expect(group!.operations).toMatchObject({ kind: 'fitted', parameters: { lambda: expect.closeTo(600, 2) } });
    expect(group!.unit).toEqual({ kind: expect.any(String), nodes: expect.any(Array) });
    expect(group!.sizing?.measured.atConcurrency).toBe(16);
    expect(group!.sizing?.model).toMatchObject({ kind: 'sized', units: expect.any(Number) });
    expect(report).toMatchObject({ targetOrdersPerSecond: 1000, operatingPoint: 0.75, durationMs: 2000, levels: LEVELS, scenario: { name: 'quickstart', seed: 42 } });
  });

  it('writes out every assumption, and what is measured, fitted and extrapolated', () => {
    const report = buildSizing(plan, { runId: 'run', dir: DIR, file: 'q.yaml', outcomes: outcomesFor(plan, exact, DIR) });
    const text = report.assumptions.join('\n');
    for (const topic of [/independent shards or regions/, /adds up\s+linearly/, /checkout is 10% of operations/, /one machine \(\d+ CPUs\)/, /single run of 2s/, /75% of its modelled peak/, /2000 customers, 500 products/]) {
      expect(text).toMatch(topic);
    }
    expect(report.provenance.measured).toMatch(/^Measured: throughput at N = 1, 2, 4, 8, 16 clients, one run each/);
    expect(report.provenance.extrapolated).toMatch(/^Extrapolated: the curve beyond N = 16, .*every unit and node count/);
    expect(report.warnings).toEqual([]);
  });

  it('leaves failed and missing levels out of the fit, and says so', () => {
    const figures = [...exact.slice(0, 3), { ...exact[3]!, status: 'failed' as const }];
    const report = buildSizing(plan, { runId: 'run', dir: DIR, file: 'q.yaml', outcomes: outcomesFor(plan, figures, DIR) });
    const group = report.groups[0]!;
    expect(group.levels.map((l) => [l.concurrency, l.status, l.fitted])).toEqual([
      [1, 'completed', true],
      [2, 'completed', true],
      [4, 'completed', true],
      [8, 'failed', false],
      [16, 'not-run', false],
    ]);
    expect(group.orders).toMatchObject({ kind: 'fitted', quality: { points: 3 } });
    expect(report.warnings).toContain('left out of the fit: N=8 (failed), N=16 (not-run).');
    expect(report.warnings.some((w) => /Only 3|levels for 3 parameters/.test(w))).toBe(false);
  });

  it('reports why there is no fit when fewer than three levels completed', () => {
    const report = buildSizing(plan, { runId: 'run', dir: DIR, file: 'q.yaml', outcomes: outcomesFor(plan, exact.slice(0, 2), DIR) });
    const group = report.groups[0]!;
    expect(group.orders).toEqual({ kind: 'not-fitted', series: 'orders', unit: 'orders/s', reason: expect.stringMatching(/3 or more concurrency levels; got 2 .*left out: N=4 not-run/) });
    expect(group.sizing).toBeNull();
  });

  it('warns when throughput grew faster than the clients', () => {
    const cold = [{ ordersPerSecond: 20, okOpsPerSecond: 200 }, ...exact.slice(1)];
    const report = buildSizing(plan, { runId: 'run', dir: DIR, file: 'q.yaml', outcomes: outcomesFor(plan, cold, DIR) });
    expect(report.warnings.join('\n')).toMatch(/grew faster than the clients from N = 1 to N = 2 \(superlinear\)/);
  });
});
