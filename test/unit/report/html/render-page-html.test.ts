import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPageHtml } from '../../../../src/harness/report/html/page/render-page-html.ts';
import { writeReportHtml } from '../../../../src/harness/report/html/write-report-html.ts';
import { renderReportMd } from '../../../../src/harness/report/write-report-md.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import { completedRun, failedRun } from '../fixtures.ts';

const unescape = (text: string) =>
  text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function page(results: RunResults): string {
  return renderPageHtml({ results, faults: results.faults, charts: [], chartNotes: [] });
}

/** Cell texts of the operations table, one array per row. */
function htmlOperationRows(html: string): string[][] {
  const table = /<table class="operations">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map(([, row]) => [...row!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(([, cell]) => unescape(cell!)));
}

function mdOperationRows(md: string): string[][] {
  const section = md.split('## Operations')[1]!.split('\n\n')[1]!;
  return section
    .split('\n')
    .slice(2)
    .map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim().replace(/\*\*/g, '').replace(/\\(.)/g, '$1')));
}

describe('report.html page', () => {
  it('shows the same operation figures as report.md', () => {
    const results = completedRun();
    const rows = htmlOperationRows(page(results));
    expect(rows).toHaveLength(6);
    expect(rows).toEqual(mdOperationRows(renderReportMd(results)));
  });

  it('leads with the name, status and each verdict as a badge', () => {
    const html = page(completedRun());
    expect(html).toContain('<h1>checkout-under-replication <span class="status status-completed">completed</span></h1>');
    expect(html).toContain('<a href="#check-invariants">invariants</a> <span class="badge badge-invalid">INVALID</span>');
    expect(html).toContain('<tr id="check-invariants" class="verdict-invalid">');
    expect(html).toContain('<details><summary>Examples (2)</summary>');
  });

  it('says up front that a failed run stopped early, and why', () => {
    const html = page(failedRun());
    expect(html).toContain('<span class="status status-failed">FAILED</span>');
    expect(html).toContain('This run failed. The figures below are what was measured before it stopped.');
    expect(html).toContain('<pre>primary pg0 exited unexpectedly');
    expect(html).toContain('No checks ran.');
  });

  it('lists faults and failovers with times from the start of the measured run', () => {
    const html = page({
      ...completedRun(),
      faults: [{ id: 1, kind: 'kill', targets: ['pg0'], startMs: 5_000, error: 'kill failed' }],
      failovers: [{ from: 'pg0', to: 'pg1', detectedAtMs: 6_000, promotedAtMs: 6_250 }],
    });
    expect(html).toMatch(/<td class="num">1<\/td><td>kill<\/td><td>pg0<\/td><td class="num">5s<\/td><td class="num">end of run<\/td><td>failed: kill failed<\/td>/);
    expect(html).toMatch(/<td>pg0<\/td><td>pg1<\/td><td class="num">6s<\/td><td class="num">6.25s<\/td><td class="num">250ms<\/td>/);
  });

  it('is still written for a run that failed before it wrote any history', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-html-nohistory-'));
    try {
      const html = await readFile(await writeReportHtml(dir, failedRun()), 'utf8');
      expect(html).toContain('No history.jsonl was written, so there is nothing to chart.');
      expect(html).toContain('No chart: nothing was measured to draw.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
