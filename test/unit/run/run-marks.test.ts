import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SaturationSample } from '../../../src/harness/results/saturation-sample.ts';
import { LatencyRecorder } from '../../../src/harness/metrics/latency-recorder.ts';
import { renderReportMd } from '../../../src/harness/report/write-report-md.ts';
import { renderPageHtml } from '../../../src/harness/report/html/page/render-page-html.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import type { Scenario } from '../../../src/harness/scenario/schema.ts';
import { buildResults, type RunState } from '../../../src/harness/run/run-state.ts';
import { ROOT } from '../cli/run-cli.ts';

// From what the driver and the sampler measured to results.json's marks and both reports: an
// open loop short of its offered rate is overloaded (naming the saturated side), a saturated
// harness marks the run harness-bound with its seconds, and a run that kept up carries neither.

let quickstart: Scenario;
beforeAll(async () => {
  quickstart = (await loadScenario(join(ROOT, 'scenarios/quickstart.yaml'))).scenario;
});

function openLoop(rate: number): Scenario {
  return { ...quickstart, workload: { ...quickstart.workload, loop: { kind: 'open', rate, arrivals: 'poisson', connections: 32, maxQueueDelay: 1_000, grace: 30_000 } } };
}

function seconds(n: number, figures: Partial<SaturationSample>): SaturationSample[] {
  return Array.from({ length: n }, (_, i) => ({
    t: i + 1,
    loopDelayP99Ms: 4,
    loopDelayMaxMs: 6,
    loopUtilization: 0.5,
    loopCpu: 0.45,
    loopCpuWait: 0.02,
    harnessCpu: 0.5,
    databaseCpu: 0.6,
    nodeCpu: { primary: 0.6 },
    machineCpu: 1.1,
    ...figures,
  }));
}

/** A run of 10 s that completed `ops` operations; open loops scheduled `scheduled` arrivals. */
function results(scenario: Scenario, ops: number, samples: SaturationSample[], scheduled?: number, windowMs = 10_000) {
  const recorder = new LatencyRecorder();
  for (let i = 0; i < ops; i++) recorder.record('view-product', 'ok', 2, undefined, true);
  const state: RunState = {
    runId: 'run-1',
    startedAt: new Date(0),
    scenario,
    status: 'completed',
    topologyKind: scenario.topology.kind,
    nodes: [],
    checks: {},
    faults: [],
    failovers: [],
    driver: {
      workers: 32,
      measuredMs: 10_000,
      lateStarts: 0,
      drainMs: 12,
      saturation: samples,
      ...(scheduled === undefined
        ? {}
        : { arrivals: { scheduled, started: ops, dropped: scheduled - ops, droppedBy: { queue: scheduled - ops - 5, end: 5 }, droppedInWarmup: 3, windowMs }, cutByGrace: 0 }),
    },
  };
  return buildResults(state, recorder, { warmup: 3_000, run: 10_000 });
}

describe('run marks', () => {
  it('an open loop stopped before its run phase (Ctrl-C in the warmup) has no offered rate and no mark, and its reports render', () => {
    const r = results(openLoop(1000), 0, [], 0, 0);
    expect(r.load.offeredRate).toBeUndefined();
    expect(r.load.overload).toBeUndefined();
    expect(r.load).toMatchObject({ scheduled: 0, dropped: 0 });
    expect(r.marks).toEqual([]);
    expect(renderReportMd(r)).not.toMatch(/OVERLOADED|NaN|undefined/);
    expect(renderPageHtml({ results: r, faults: [], charts: [], chartNotes: [] })).toContain('<html');
  });

  it('an open loop that achieved its offered rate, with a harness that kept up, carries no mark', () => {
    const r = results(openLoop(1000), 9_990, seconds(10, {}), 10_000);
    expect(r.marks).toEqual([]);
    expect(r.load).toMatchObject({ offeredRate: 1000, achievedRate: 999, dropped: 10, overload: { overloaded: false } });
    const md = renderReportMd(r);
    expect(md).not.toMatch(/OVERLOADED|HARNESS-BOUND|\*\*Marked:\*\*/);
    expect(md).toMatch(/\*\*Dropped:\*\* 10 /);
    expect(md).toMatch(/\*\*Run phase:\*\* 10s measured/);
  });

  it('an open loop far short of its offered rate, with a saturated harness, is overloaded (harness) and harness-bound', () => {
    const r = results(openLoop(40_000), 14_000, seconds(10, { loopUtilization: 1, loopDelayP99Ms: 90 }), 400_000);
    expect(r.marks).toEqual(['overloaded', 'harness-bound']);
    expect(r.load).toMatchObject({ offeredRate: 40_000, achievedRate: 1_400, scheduled: 400_000, dropped: 386_000, overload: { overloaded: true, saturated: 'harness' } });
    expect(r.saturation?.harness).toMatchObject({ bound: true, affected: '1–10' });
    const md = renderReportMd(r);
    expect(md).toMatch(/\*\*Marked:\*\* \*\*overloaded\*\*, \*\*harness-bound\*\*/);
    expect(md).toMatch(/OVERLOADED \(saturated: harness\)/);
    expect(md).toMatch(/HARNESS-BOUND.*seconds 1–10/);
    expect(md).toMatch(/\*\*Offered:\*\* 40,000 ops\/s/);
    expect(md).toMatch(/\*\*Achieved:\*\* 1,400 ops\/s/);
    expect(md).toMatch(/\*\*Dropped:\*\* 386,000/);
    const page = renderPageHtml({ results: r, faults: [], charts: [], chartNotes: [] });
    expect(page).toMatch(/OVERLOADED \(saturated: harness\)/);
    expect(page).toMatch(/HARNESS-BOUND\.<\/strong>[^<]*seconds 1–10/);
    expect(page).toMatch(/<dt>Dropped<\/dt><dd>386,000/);
    expect(page).toMatch(/id="saturation"/);
  });

  it('an overloaded open loop whose database was saturated names the database and is not harness-bound', () => {
    const r = results(openLoop(5_000), 30_000, seconds(10, { harnessCpu: 0.4, databaseCpu: 1.5 }), 50_000);
    expect(r.marks).toEqual(['overloaded']);
    expect(r.load.overload).toMatchObject({ saturated: 'database' });
  });

  it('a run whose harness was starved by other processes is marked cpu-contended, not harness-bound', () => {
    const starved = { loopUtilization: 1, loopCpu: 0.15, loopCpuWait: 0.83, harnessCpu: 0.13, databaseCpu: 0.19, machineCpu: 2 };
    const r = results(quickstart, 3_400, seconds(10, starved));
    expect(r.marks).toEqual(['cpu-contended']);
    const md = renderReportMd(r);
    expect(md).toMatch(/CPU-CONTENDED.*seconds 1–10.*processes other than the harness and the database had the cores/);
    expect(md).not.toMatch(/HARNESS-BOUND/);
  });

  it('a closed loop has no offered rate, so no overload; a saturated harness still marks it', () => {
    const calm = results(quickstart, 8_000, seconds(10, {}));
    expect(calm.marks).toEqual([]);
    expect(calm.load.overload).toBeUndefined();
    const busy = results(quickstart, 8_000, seconds(10, { loopUtilization: 0.99 }));
    expect(busy.marks).toEqual(['harness-bound']);
    expect(renderReportMd(busy)).toMatch(/## Saturation/);
  });
});
