import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSizing } from '../../../src/harness/sizing/build-sizing.ts';
import { planSizing, type SizingPlan } from '../../../src/harness/sizing/plan-sizing.ts';
import { renderSizingMd } from '../../../src/harness/sizing/render-sizing-md.ts';
import type { SizingReport } from '../../../src/harness/sizing/sizing-types.ts';
import { summarizeSizing } from '../../../src/harness/sizing/summarize-sizing.ts';
import { uslThroughput, type UslParameters } from '../../../src/harness/sizing/usl-model.ts';
import { writeSizing } from '../../../src/harness/sizing/write-sizing.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { ROOT } from '../cli/run-cli.ts';
import { outcomesFor } from './sizing-fixtures.ts';

const LEVELS = [1, 2, 4];
let plan: SizingPlan;
let noTarget: SizingPlan;

beforeAll(async () => {
  const loaded = await loadScenario(join(ROOT, 'scenarios/quickstart.yaml'));
  plan = planSizing(loaded, [], { concurrency: LEVELS.join(','), target: '500' });
  noTarget = planSizing(loaded, [], { concurrency: LEVELS.join(',') });
});

function reportFor(truth: UslParameters, which: SizingPlan = plan): SizingReport {
  const figures = LEVELS.map((n) => ({ ordersPerSecond: uslThroughput(truth, n), okOpsPerSecond: 10 * uslThroughput(truth, n) }));
  return buildSizing(which, { runId: 'run', dir: '/r', file: 'scenarios/quickstart.yaml', outcomes: outcomesFor(which, figures, '/r') });
}

const PEAKING = { lambda: 60, sigma: 0.05, kappa: 0.02 };

describe('sizing.md', () => {
  it('keeps measured, fitted and extrapolated figures apart and labels each', () => {
    const md = renderSizingMd(reportFor(PEAKING));
    expect(md).toMatch(/^# Sizing: quickstart\n\n- Measured: throughput at N = 1, 2, 4 clients/);
    expect(md).toContain('### Measured\n\n| clients N | status | orders/s |');
    expect(md).toContain('| 1 | completed | 60.0 |');
    expect(md).toContain('### Fitted: X(N) = λN / (1 + σ(N−1) + κN(N−1))');
    expect(md).toMatch(/\| σ, contention \| 0\.05 \|/);
    expect(md).toMatch(/\| κ, coherency \| 0\.02 \|/);
    expect(md).toMatch(/\| R² \| 1\.0000 \|/);
    expect(md).toMatch(/\| points \(degrees of freedom\) \| 3 \(0\) \|/);
    // √(0.95 / 0.02) ≈ 6.89, beyond the largest level measured.
    expect(md).toMatch(/\| peak concurrency N\\\* = √\(\(1−σ\)\/κ\) \| 6\.89 clients \(extrapolated: beyond the largest level measured, N = 4\)/);
    expect(md).toContain('### Sizing for 500 orders/s');
    expect(md).toMatch(/- Measured per unit, scale-out assumed: the best level measured, N = 4, delivered \d+ orders\/s; 500 orders\/s needs \d+ units \(\d+ nodes\)\./);
    expect(md).toMatch(/- Extrapolated from the model: a unit peaks at \d+ orders\/s at N\\\* ≈ 6\.89 \(beyond the levels measured\); at 75% of that it delivers/);
    expect(md).toContain('## Assumptions');
    expect(md).toContain('**Read with care:**');
    expect(md).toMatch(/Only 3 levels for 3 parameters/);
  });

  it('says plainly that there is no peak when κ = 0, and sizes from the measurement only', () => {
    const md = renderSizingMd(reportFor({ lambda: 50, sigma: 0.1, kappa: 0 }));
    expect(md).toMatch(/\| peak concurrency N\\\* = √\(\(1−σ\)\/κ\) \| none: κ = 0, throughput rises towards λ\/σ = 500 orders\/s without reaching it \(extrapolated\)/);
    expect(md).toMatch(/\| peak throughput X\(N\\\*\) \| – \(no peak\)/);
    expect(md).toMatch(/- Extrapolated from the model: not possible, the fit has κ = 0/);
    expect(md).toMatch(/- Measured per unit, scale-out assumed: .* needs 4 units \(12 nodes\)\./);
  });

  it('has no sizing section without a target', () => {
    const md = renderSizingMd(reportFor(PEAKING, noTarget));
    expect(md).not.toContain('### Sizing');
    expect(md).toContain('### Fitted');
  });

  it('escapes labels that come from a scenario', () => {
    const report = reportFor(PEAKING);
    const md = renderSizingMd({ ...report, groups: report.groups.map((g) => ({ ...g, label: 'settings.x=a|*b*' })) });
    expect(md).toContain('## settings.x=a\\|\\*b\\*');
  });
});

describe('the size summary and files', () => {
  it('prints MEASURED, FITTED, PEAK and EXTRAPOLATED sections', () => {
    const text = summarizeSizing(reportFor(PEAKING), { md: '/r/sizing.md', html: '/r/sizing.html', json: '/r/sizing.json' }, '/r');
    expect(text).toMatch(/^\nsizing quickstart: N = 1, 2, 4 clients/);
    const order = ['\nMEASURED\n', '\nFITTED (orders/s): ', '\nPEAK (extrapolated)\n', '\nEXTRAPOLATED: units for 500 orders/s (nothing past one unit was run)\n'].map((s) => text.indexOf(s));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toMatch(/λ = 60\.0, σ = 0\.05, κ = 0\.02; R² 1\.0000/);
    expect(text).toMatch(/sizing: sizing\.md \(and sizing\.html, sizing\.json/);
  });

  it('writes sizing.json, sizing.md and sizing.html with the chart drawn', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-sizing-'));
    try {
      const report = reportFor(PEAKING);
      const files = await writeSizing(dir, report);
      expect(JSON.parse(await readFile(files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
      expect(await readFile(files.md, 'utf8')).toBe(renderSizingMd(report));
      const page = await readFile(files.html, 'utf8');
      expect(page.match(/<svg/g)).toHaveLength(1);
      expect(page).toContain('Extrapolated from the model');
      expect(page).not.toContain('<script');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
