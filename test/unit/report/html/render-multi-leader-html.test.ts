import { describe, expect, it } from 'vitest';
import { renderMultiLeaderHtml } from '../../../../src/harness/report/html/page/render-multi-leader-html.ts';
import { renderPageHtml } from '../../../../src/harness/report/html/page/render-page-html.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import { completedRun } from '../fixtures.ts';
import { htmlTableRows } from '../table-cells.ts';
import { hostile, multiLeader } from '../topology-results-fixtures.ts';

const withLeaders = (ml = multiLeader()): RunResults => ({ ...completedRun(), multiLeader: ml });
const section = (results: RunResults) => renderMultiLeaderHtml(results).value;

describe('report.html: multi-leader replication', () => {
  it('shows conflicts by leader, kind and resolution, with the total of all leaders', () => {
    const page = section(withLeaders());
    expect(page).toMatch(/^<section id="multi-leader"><h2>Multi-leader replication<\/h2>/);
    expect(page).toContain('conflict resolution <code>apply_remote</code>');
    const rows = htmlTableRows(page);
    expect(rows[0]).toEqual(['Applied on', 'Total', 'insert_insert', 'update_update', 'update_delete', 'delete_delete', 'apply_remote', 'keep_local', 'skip']);
    expect(rows).toContainEqual(['us-east', '1,000', '3', '995', '2', '0', '998', '0', '2']);
    expect(page).toContain('<td><strong>all</strong></td><td class="num">1,234</td>');
    expect(page).toContain('By table: <code>stock</code> 1,200, <code>order_items</code> 34.');
  });

  it('shows lag per direction and what a direction means', () => {
    const page = section(withLeaders());
    expect(page).toContain('A-&gt;B: how far behind B&#39;s copy of A&#39;s writes was');
    expect(htmlTableRows(page)).toContainEqual(['us-east->eu-west', '4,321', '41.5', '812', '3,457']);
    expect(section(withLeaders({ ...multiLeader(), lagMs: {} }))).not.toContain('Replication lag per direction');
  });

  it('says whether the leaders converged, and lists the rows and leaders that still differ', () => {
    const page = section(withLeaders());
    expect(page).toContain('813 ms after the load ended (every fault healed). 7 rows still differ between leaders');
    expect(htmlTableRows(page)).toContainEqual(['stock', '0', '5', '17 23']);
    expect(htmlTableRows(page)).toContainEqual(['order_items', '–', 'too large to compare row by row', '']);
    expect(page).toContain('Could not be read: eu-west (connection refused).');
    const converged = section(withLeaders({ ...multiLeader(), divergence: { rows: 0, tables: {}, unreadable: {} } }));
    expect(converged).toContain('They then held identical rows in every table: converged, whatever the rows say.');
    expect(converged).not.toContain('<table class="divergence">');
    const stuck = section(withLeaders({ ...multiLeader(), catchUpMs: null }));
    expect(stuck).toContain('The leaders did not all apply each other&#39;s writes within the quiesce bound');
  });

  it('escapes leader, table, key and error names from the databases', () => {
    const page = section(withLeaders(multiLeader(hostile)));
    expect(page).not.toContain('<script>');
    expect(page).toContain('us-east&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(page).toContain('<code>stock&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</code>');
    expect(page).toContain('connection refused&lt;script&gt;');
  });

  it('is absent, from the page and its navigation, when the run has no multi-leader results', () => {
    expect(section(completedRun())).toBe('');
    const page = renderPageHtml({ results: completedRun(), faults: [], charts: [], chartNotes: [] });
    expect(page).not.toContain('id="multi-leader"');
    expect(page).not.toContain('href="#multi-leader"');
    expect(renderPageHtml({ results: withLeaders(), faults: [], charts: [], chartNotes: [] })).toContain('<a href="#multi-leader">Multi-leader</a>');
  });
});
