import { describe, expect, it } from 'vitest';
import { renderPageHtml } from '../../../../src/harness/report/html/page/render-page-html.ts';
import { renderShardsHtml } from '../../../../src/harness/report/html/page/render-shards-html.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import { completedRun } from '../fixtures.ts';
import { htmlTableRows, htmlText } from '../table-cells.ts';
import { hostile, shardedRun } from '../topology-results-fixtures.ts';

const section = (results: RunResults) => renderShardsHtml(results).value;
const page = (results: RunResults) => renderPageHtml({ results, faults: [], charts: [], chartNotes: [] });

describe('report.html: shards', () => {
  it('shows each shard\'s rows, bytes and share of the load, then the skew', () => {
    const html = section(shardedRun());
    expect(html).toMatch(/^<section id="shards"><h2>Shards<\/h2>/);
    expect(htmlText(html)).toContain("from each shard's pg_stat_user_tables.");
    const rows = htmlTableRows(html);
    expect(rows[0]).toEqual(['Shard', 'Rows', 'Bytes', 'Reads', 'Inserts', 'Updates']);
    expect(rows).toContainEqual(['shard1', '1,200', '245,760', '300 (75.0%)', '10 (25.0%)', '0 (–)']);
    expect(html).toContain('<td><strong>skew (max / mean)</strong></td><td class="num"></td><td class="num"></td><td class="num">1.50</td><td class="num">1.50</td><td class="num">–</td>');
  });

  it('shows the fan-out of each operation measured, out of all shards, and nothing when none was', () => {
    const rows = htmlTableRows(section(shardedRun()));
    expect(rows).toContainEqual(['Operation', 'Shards touched', 'p50 ms']);
    expect(rows).toContainEqual(['checkout', '2 of 2', '6.93']);
    expect(rows).toContainEqual(['view-product', '1 of 2', '0.64']);
    const run = shardedRun();
    const unmeasured = { ...run, operations: completedRun().operations };
    expect(section(unmeasured)).not.toContain('Fan-out');
    expect(section(unmeasured)).not.toContain('<table class="fanout">');
  });

  it('escapes shard and operation names', () => {
    const run = shardedRun(hostile);
    const html = section({ ...run, operations: { ...run.operations, [hostile('op')]: { ...run.operations.checkout!, fanout: 1 } } });
    expect(html).not.toContain('<script>');
    expect(html).toContain('<td>shard1&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</td>');
    expect(html).toContain('<td>op&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</td>');
  });

  it('is absent, from the page and its navigation, without shards', () => {
    expect(section(completedRun())).toBe('');
    expect(section({ ...completedRun(), shards: [] })).toBe('');
    expect(page(completedRun())).not.toContain('id="shards"');
    expect(page(completedRun())).not.toContain('href="#shards"');
    expect(page(shardedRun())).toContain('<a href="#shards">Shards</a>');
    expect(page(shardedRun())).toContain('<section id="shards">');
  });
});
