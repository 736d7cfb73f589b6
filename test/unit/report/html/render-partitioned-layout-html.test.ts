import { describe, expect, it } from 'vitest';
import { renderPageHtml } from '../../../../src/harness/report/html/page/render-page-html.ts';
import { renderPartitionedLayoutHtml } from '../../../../src/harness/report/html/page/render-partitioned-layout-html.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import type { PartitionedLayoutResults } from '../../../../src/harness/results/partitioned-layout-results.ts';
import { completedRun } from '../fixtures.ts';
import { htmlTableRows, htmlText } from '../table-cells.ts';
import { hostile, partitionedLayout } from '../topology-results-fixtures.ts';

const withLayout = (layout: PartitionedLayoutResults = partitionedLayout()): RunResults => ({ ...completedRun(), partitionedLayout: layout });
const section = (results: RunResults) => renderPartitionedLayoutHtml(results).value;
const page = (results: RunResults) => renderPageHtml({ results, faults: [], charts: [], chartNotes: [] });

describe('report.html: partitioned layout', () => {
  it('names each shard\'s replicas and says clients never read them', () => {
    const html = section(withLayout());
    expect(html).toMatch(/^<section id="partitioned-layout"><h2>Partitioned layout<\/h2>/);
    expect(htmlText(html)).toContain('Shard replicas (asynchronous streaming): shard1 → shard1-r1, shard1-r2; shard2 → shard2-r1. Clients never read them');
    expect(html).toContain('so <code>readFrom: replicas</code> stays on the coordinator.');
  });

  it('shows how stale each copy was, a dash where it was never sampled', () => {
    const rows = htmlTableRows(section(withLayout()));
    expect(rows).toContainEqual(['Copy', 'Samples', 'p50', 'p99', 'max']);
    expect(rows).toContainEqual(['shard1-r1', '60', '0.25', '900', '2,240']);
    expect(rows).toContainEqual(['shard2-r1', '0', '–', '–', '–']);
    expect(section(withLayout()).includes('(<code>coordinator-&gt;shardN</code>)')).toBe(true);
  });

  it('lists every reference copy, marks the stale ones, and compares the two joins', () => {
    const html = section(withLayout());
    expect(htmlText(html)).toContain("After the final quiesce 1 of 2 copies equal the coordinator's (rows and checksum).");
    expect(html).toContain('<td>shard1-r1</td><td>categories</td><td class="num">11</td><td class="num">12</td><td><strong>no</strong></td>');
    expect(htmlTableRows(html)).toContainEqual(['shard1', 'products', '300', '300', 'yes']);
    expect(html).toContain('Same answer: <strong>no</strong> (12 categories).');
    expect(htmlTableRows(html)).toContainEqual(['coordinator', '4,650', '7.70']);
    expect(htmlTableRows(html)).toContainEqual(['each shard, against its copy', '36', '1.50']);
  });

  it('shows each column group with the parts that lack the others, and what could not be read', () => {
    const html = section(withLayout());
    expect(htmlText(html)).toContain("shipments is split by columns: each group on its shard, the key (order_id) in every group; the coordinator's view joins them and shows 10 rows.");
    expect(htmlTableRows(html)).toContainEqual(['shard1', 'order_id, carrier', '10', '0']);
    expect(html).toContain('<td class="num"><strong>1</strong></td>');
    expect(html).toContain('<p>Could not read: shard3: connection refused</p>');
  });

  it('leaves out what the layout does not have', () => {
    const html = section(withLayout({ shardReplicas: [], stalenessMs: {} }));
    expect(html).toBe('<section id="partitioned-layout"><h2>Partitioned layout</h2>\n</section>');
    const noJoin = section(withLayout({ ...partitionedLayout(), reference: { ...partitionedLayout().reference!, localJoin: undefined } }));
    expect(noJoin).toContain('<table class="reference-copies">');
    expect(noJoin).not.toContain('What the copies are for');
  });

  it('escapes node, table, column, query and error text', () => {
    const html = section(withLayout(partitionedLayout(hostile)));
    expect(html).not.toContain('<script>');
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;';
    for (const name of ['shard1', 'shard1-r1', 'coordinator-&gt;shard1', 'products', 'sales by category', 'shipments', 'order_id', 'shard3: connection refused']) {
      expect(html, name).toContain(`${name}${escaped}`);
    }
  });

  it('is absent, from the page and its navigation, without a layout', () => {
    expect(section(completedRun())).toBe('');
    expect(page(completedRun())).not.toContain('id="partitioned-layout"');
    expect(page(completedRun())).not.toContain('href="#partitioned-layout"');
    expect(page(withLayout())).toContain('<a href="#partitioned-layout">Partitioned layout</a>');
  });
});
