import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { findPgBinaries } from '../../../src/topologies/postgres/local/pg-binaries.ts';

// report.html from a real run: the quickstart against real PostgreSQL servers, shortened to 3 s.
// It starts servers, so it runs only where PostgreSQL is installed (as test/integration does).

const hasPostgres = await findPgBinaries().then(
  () => true,
  () => false,
);

let out = '';
let reportDir = '';
let page = '';
beforeAll(async () => {
  if (!hasPostgres) return;
  out = await mkdtemp(join(tmpdir(), 'faultline-html-run-'));
  const { scenario } = await loadScenario('scenarios/quickstart.yaml', ['workload.duration=3s', 'workload.warmup=1s']);
  const outcome = await runScenario(scenario, { reportsRoot: out, print: () => {} });
  expect(outcome.results.run.status, outcome.results.run.error).toBe('completed');
  reportDir = outcome.reportDir;
  page = await readFile(join(reportDir, 'report.html'), 'utf8');
}, 120_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe.skipIf(!hasPostgres)('report.html of a real 3 s quickstart run', () => {
  it('is written by default beside results.json and report.md', async () => {
    const files = await readdir(reportDir);
    expect(files).toEqual(expect.arrayContaining(['results.json', 'report.md', 'report.html', 'history.jsonl', 'charts']));
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<h1>quickstart <span class="status status-completed">completed</span></h1>');
  });

  it('draws every chart that applies to a run without faults, each a non-empty SVG', async () => {
    const figures = [...page.matchAll(/<figure id="chart-([a-z-]+)">([\s\S]*?)<\/figure>/g)];
    // No fault, no failover: no writable-nodes chart. Two replicas: a lag chart.
    expect(figures.map(([, name]) => name)).toEqual(['latency-quantiles', 'latency-scatter', 'throughput', 'replication-lag']);
    for (const [, name, body] of figures) {
      const svg = /<svg\b[\s\S]*<\/svg>/.exec(body!)?.[0] ?? '';
      expect(svg.length, name).toBeGreaterThan(2_000);
      expect(svg, name).toMatch(/<path[^>]* d="M\d/);
    }
    expect(page).not.toContain('could not be drawn');
    expect((await readdir(join(reportDir, 'charts'))).sort()).toEqual([
      'latency-quantiles.vl.json',
      'latency-scatter.vl.json',
      'replication-lag.vl.json',
      'throughput.vl.json',
    ]);
  });

  it('shows every operation the quickstart ran in the latency chart', () => {
    const quantiles = /<figure id="chart-latency-quantiles">([\s\S]*?)<\/figure>/.exec(page)?.[1] ?? '';
    for (const f of ['browse-category', 'view-product', 'checkout', 'add-to-cart', 'order-history']) expect(quantiles).toContain(`>${f}</text>`);
  });
});
