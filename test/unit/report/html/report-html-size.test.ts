import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportHtml } from '../../../../src/harness/report/html/write-report-html.ts';
import { syntheticResults, writeSyntheticHistory, type SyntheticRunOptions } from './synthetic-run.ts';

// The quickstart's 20 s at its rate (~5,000 ops/s on this kind of machine: 100,000 operations),
// with a partition and a failover so that every chart is drawn: the page must stay small enough
// to mail or attach to an issue, and open offline.

const QUICKSTART: SyntheticRunOptions = { seconds: 20, warmupSeconds: 3, opsPerSecond: 5_000, failoverAfterSeconds: 1.2 };
const MAX_BYTES = 2 * 1024 * 1024;

let dir = '';
let page = '';
let bytes = 0;
let operations = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-html-size-'));
  operations = await writeSyntheticHistory(join(dir, 'history.jsonl'), QUICKSTART);
  const path = await writeReportHtml(dir, syntheticResults(QUICKSTART));
  page = await readFile(path, 'utf8');
  bytes = (await stat(path)).size;
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report.html of a 20 s quickstart-sized run', () => {
  it(`stays under 2 MB for ~100,000 operations`, () => {
    expect(operations).toBe(100_000);
    expect(bytes).toBeLessThan(MAX_BYTES);
  });

  it('draws every chart as a non-empty inline SVG', () => {
    const figures = [...page.matchAll(/<figure id="chart-([a-z-]+)">([\s\S]*?)<\/figure>/g)];
    expect(figures.map(([, name]) => name)).toEqual(['latency-quantiles', 'latency-scatter', 'throughput', 'replication-lag', 'writable-nodes']);
    for (const [, name, body] of figures) {
      const svg = /<svg\b[\s\S]*<\/svg>/.exec(body!)?.[0] ?? '';
      expect(svg.length, name).toBeGreaterThan(2_000);
      expect(svg, name).toMatch(/<path d="M[^"]+"|<path transform=/);
    }
  });

  it('needs nothing from outside the file: no script, no external resource', () => {
    expect(/<script|<link\b|@import|\ssrc=|url\((?!#)/i.exec(page)?.[0]).toBeUndefined();
    // Every href is a fragment on the page or a chart spec beside it.
    for (const [, href] of page.matchAll(/\shref="([^"]*)"/g)) expect(href).toMatch(/^(#[a-z0-9-]+|charts\/[a-z-]+\.vl\.json)$/);
  });

  it('saves each chart spec beside the report with its data inlined, for the vega editor', async () => {
    const files = (await readdir(join(dir, 'charts'))).sort();
    expect(files).toEqual(['latency-quantiles.vl.json', 'latency-scatter.vl.json', 'replication-lag.vl.json', 'throughput.vl.json', 'writable-nodes.vl.json']);
    for (const file of files) {
      const text = await readFile(join(dir, 'charts', file), 'utf8');
      const spec = JSON.parse(text) as { $schema?: string };
      expect(spec.$schema, file).toMatch(/vega-lite\/v6/);
      expect(text, file).toContain('"values":[');
      expect(text, file).not.toMatch(/"url":/);
    }
    const scatter = JSON.parse(await readFile(join(dir, 'charts', 'latency-scatter.vl.json'), 'utf8')) as { layer: { data?: { values?: unknown[] } }[] };
    const points = scatter.layer.at(-1)?.data?.values ?? [];
    expect(points.length).toBeGreaterThan(3_000);
    expect(points.length).toBeLessThanOrEqual(5_000);
  });
});
