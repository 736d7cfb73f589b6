import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../src/harness/scenario/load-scenario.ts';
import { findChromium, inspectReport, launchChromium, type Browser, type ReportInspection } from './browser-support.ts';

// report.html opened in a real headless Chromium: every chart drawn at a visible size, nothing
// logged as an error, no network needed, and a file small enough to mail. A screenshot of each
// page checked is kept in a temp directory (its path is printed) for a person to look at.

const MAX_REPORT_BYTES = 2 * 1024 * 1024;
const chromiumPath = findChromium();
if (chromiumPath === undefined) {
  console.warn('test/browser skipped: no Chromium (/usr/bin/chromium or chromium on PATH); .ci/setup installs it on Debian as root');
}

let browser: Browser | undefined;
let shots = '';

beforeAll(async () => {
  if (chromiumPath === undefined) return;
  shots = await mkdtemp(join(tmpdir(), 'faultline-browser-'));
  browser = await launchChromium(chromiumPath);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (shots) await rm(shots, { recursive: true, force: true });
});

async function inspect(htmlPath: string, name: string): Promise<ReportInspection> {
  if (browser === undefined) throw new Error('Chromium did not start');
  const screenshot = join(shots, `${name}.png`);
  const inspection = await inspectReport(browser, htmlPath, screenshot);
  console.log(`screenshot: ${screenshot}`);
  return inspection;
}

/** The checks a report page must pass; each failure names the chart or the error. */
function expectRendered(inspection: ReportInspection): void {
  expect(inspection.charts.length, `no chart found (tried ${inspection.selector})`).toBeGreaterThan(0);
  expect(inspection.areaSvgs, 'svg elements in the charts area, one per chart container').toBe(inspection.charts.length);
  for (const chart of inspection.charts) {
    expect(chart.svgs, `${chart.name}: svg elements in its container`).toBe(1);
    expect(chart.width, `${chart.name}: width`).toBeGreaterThan(0);
    expect(chart.height, `${chart.name}: height`).toBeGreaterThan(0);
  }
  expect(inspection.errors).toEqual([]);
  expect(inspection.bytes).toBeLessThan(MAX_REPORT_BYTES);
}

describe.skipIf(chromiumPath === undefined)('report.html in headless Chromium', () => {
  const fixture = join(import.meta.dirname, 'fixtures', 'report-fixture.html');

  it('the checks pass on a page whose charts render', async () => {
    const inspection = await inspect(fixture, 'fixture');
    expect(inspection.selector).toBe('#charts figure');
    expect(inspection.charts.map((chart) => chart.name)).toEqual(['chart-throughput', 'chart-latency']);
    expectRendered(inspection);
  });

  it('the checks catch a collapsed chart, a console error and a network request', async () => {
    const html = (await readFile(fixture, 'utf8'))
      .replace('width="400" height="120"', 'width="0" height="0"')
      .replace('</body>', '<script>console.error("boom")</script><img src="https://example.invalid/x.png"></body>');
    const broken = join(shots, 'broken.html');
    await writeFile(broken, html);
    const inspection = await inspect(broken, 'broken');
    expect(inspection.charts.find((chart) => chart.name === 'chart-throughput')).toMatchObject({ width: 0, height: 0 });
    expect(inspection.errors).toContain('console: boom');
    expect(inspection.errors.some((error) => error.startsWith('network request: https://example.invalid/'))).toBe(true);
  });

  it('a real run writes a report.html whose every chart renders', { timeout: 180_000 }, async () => {
    const reportsRoot = await mkdtemp(join(tmpdir(), 'faultline-browser-run-'));
    try {
      const { scenario } = await loadScenario('scenarios/quickstart.yaml', ['workload.duration=3s', 'workload.warmup=1s']);
      const { results, reportDir } = await runScenario(scenario, { reportsRoot, print: () => {} });
      expect(results.run.status, results.run.error).toBe('completed');
      // The exports are written beside it by the same report step.
      await access(join(reportDir, 'hgrm', 'checkout.hgrm'));
      await access(join(reportDir, 'history.edn'));
      const htmlPath = join(reportDir, 'report.html');
      await access(htmlPath).catch(() => {
        throw new Error(`${htmlPath} was not written: the run's report step writes no report.html`);
      });
      const inspection = await inspect(htmlPath, 'quickstart');
      console.log(`report.html: ${inspection.bytes} bytes, ${inspection.charts.length} charts (${inspection.selector})`);
      expectRendered(inspection);
    } finally {
      await rm(reportsRoot, { recursive: true, force: true });
    }
  });
});
