import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSizing } from '../../../src/harness/sizing/build-sizing.ts';
import { planSizing, type SizingPlan } from '../../../src/harness/sizing/plan-sizing.ts';
import { renderSizingMd } from '../../../src/harness/sizing/render-sizing-md.ts';
import { summarizeSizing } from '../../../src/harness/sizing/summarize-sizing.ts';
import { judgeSaturation } from '../../../src/harness/metrics/saturation/saturation-verdict.ts';
import type { SaturationSample } from '../../../src/harness/results/saturation-sample.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { uslThroughput } from '../../../src/harness/sizing/usl-model.ts';
import { ROOT } from '../cli/run-cli.ts';
import { outcomesFor } from './sizing-fixtures.ts';

// `faultline size` must not call a peak from levels where the harness, not the database, set
// the throughput: the bend there is faultline's.

const DIR = '/reports/quickstart-sizing/run';
const TRUTH = { lambda: 60, sigma: 0.05, kappa: 0.004 };
const LEVELS = [1, 2, 4, 8, 16];
const exact = LEVELS.map((n) => ({ ordersPerSecond: uslThroughput(TRUTH, n), okOpsPerSecond: 10 * uslThroughput(TRUTH, n) }));

let plan: SizingPlan;
beforeAll(async () => {
  plan = planSizing(await loadScenario(join(ROOT, 'scenarios/quickstart.yaml')), [], { concurrency: LEVELS.join(','), target: '1000', duration: '2s' });
});

function busySeconds(): SaturationSample[] {
  return Array.from({ length: 10 }, (_, i) => ({
    t: i + 1,
    loopDelayP99Ms: 120,
    loopDelayMaxMs: 150,
    loopUtilization: i < 6 ? 1 : 0.7,
    loopCpu: 0.95,
    loopCpuWait: 0.03,
    harnessCpu: 1,
    databaseCpu: 0.6,
    nodeCpu: {},
    machineCpu: 1.7,
  }));
}

function withTopLevelHarnessBound(outcomes: ReturnType<typeof outcomesFor>) {
  const last = outcomes.at(-1)!;
  const saturation = judgeSaturation(busySeconds(), 10_000, 2);
  return [...outcomes.slice(0, -1), { ...last, results: { ...last.results, marks: ['harness-bound' as const], saturation } }];
}

describe('sizing from harness-bound levels', () => {
  it('calls a peak when no level was harness-bound', () => {
    const report = buildSizing(plan, { runId: 'run', dir: DIR, file: 'q.yaml', outcomes: outcomesFor(plan, exact, DIR) });
    expect(report.groups[0]!.orders.kind).toBe('fitted');
  });

  it('refuses a peak when the top level was harness-bound, and says so in sizing.md and the summary', () => {
    const report = buildSizing(plan, { runId: 'run', dir: DIR, file: 'q.yaml', outcomes: withTopLevelHarnessBound(outcomesFor(plan, exact, DIR)) });
    const group = report.groups[0]!;
    expect(group.levels.at(-1)).toMatchObject({ concurrency: 16, harnessBound: { seconds: '1–6' }, fitted: false });
    expect(group.orders).toMatchObject({ kind: 'not-fitted', reason: expect.stringMatching(/no peak is called: the harness was saturated at N=16 \(seconds 1–6\)/) });
    expect(group.operations.kind).toBe('not-fitted');
    expect(group.sizing).toBeNull();
    const md = renderSizingMd(report);
    expect(md).toMatch(/completed, harness-bound \(not fitted\)/);
    expect(md).toMatch(/no peak is called/);
    const summary = summarizeSizing(report, { json: '/x/sizing.json', md: '/x/sizing.md', html: '/x/sizing.html' }, '/x');
    expect(summary).toMatch(/not fitted: no peak is called: the harness was saturated at N=16/);
    expect(summary).not.toMatch(/PEAK/);
  });
});
