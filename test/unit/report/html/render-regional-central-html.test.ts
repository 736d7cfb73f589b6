import { describe, expect, it } from 'vitest';
import { renderPageHtml } from '../../../../src/harness/report/html/page/render-page-html.ts';
import { renderRegionalCentralHtml } from '../../../../src/harness/report/html/page/render-regional-central-html.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import type { RegionalCentralResults } from '../../../../src/topologies/postgres/regional/regional-results.ts';
import { completedRun } from '../fixtures.ts';
import { htmlTableRows } from '../table-cells.ts';
import { hostile, regionalCentral } from '../topology-results-fixtures.ts';

const withRegions = (regional: RegionalCentralResults = regionalCentral()): RunResults => ({ ...completedRun(), regionalCentral: regional });
const section = (results: RunResults) => renderRegionalCentralHtml(results).value;

describe('report.html: regions and central', () => {
  it('shows where each region lives and what central is fed', () => {
    const page = section(withRegions());
    expect(page).toMatch(/^<section id="regional-central"><h2>Regions and central<\/h2>/);
    expect(page).toContain('<p>Central: central (region central), fed by logical replication of orders, order_items, payments.</p>');
    expect(htmlTableRows(page)).toContainEqual(['seattle', 'seattle', 'seattle-replica1', 'NA, LATAM', '2,750']);
    expect(htmlTableRows(page)).toContainEqual(['boston', 'boston', '–', 'EMEA', '318']);
  });

  it('shows central’s freshness per region (p50, p99, max), per second folded away, and the replicas’ staleness', () => {
    const rows = htmlTableRows(section(withRegions()));
    expect(rows).toContainEqual(['seattle', '1,200', '0', '3,878', '3,980']);
    expect(rows).toContainEqual(['boston', '0', '–', '–', '–']);
    expect(rows).toContainEqual(['seattle-replica1', '120', '0.50', '4.00', '9.00']);
    expect(rows).toContainEqual(['1', '980', '3.00']);
    expect(section(withRegions())).toContain('<details><summary>Worst freshness per second of the run (ms; negative seconds are warmup) (3 s)</summary>');
  });

  it('shows completeness after heal and central’s analytics, or why the analytics are missing', () => {
    const page = section(withRegions());
    expect(page).toContain('1,010 orders acknowledged by the regions; 1,008 on central exactly once and whole, 2 missing');
    expect(htmlTableRows(page)).toContainEqual(['NA', 'seattle', '3,000', '1,010', '123,457']);
    expect(htmlTableRows(page)).toContainEqual(['APJ', '–', '12', '0', '99.0']);
    expect(htmlTableRows(page)).toContainEqual(['7', 'Steel | Pants', '12', '99.5']);
    const failed = section(withRegions({ ...regionalCentral(), analytics: undefined, analyticsError: 'relation "orders" does not exist' }));
    expect(failed).toContain('<p>Analytics on central failed:</p><pre>relation &quot;orders&quot; does not exist</pre>');
  });

  it('says when there is no central (geo-partitioning) and then shows no freshness', () => {
    const geo = section(withRegions({ ...regionalCentral(), central: null, publishedTables: [], freshnessMs: {}, freshnessSeries: [], completeness: undefined, analytics: undefined }));
    expect(geo).toContain('No central node: each region holds its own customers and orders only (geo-partitioning).');
    expect(geo).not.toContain('freshness');
    expect(geo).not.toContain('Analytics');
  });

  it('escapes region, node and product names', () => {
    const page = section(withRegions(regionalCentral(hostile)));
    expect(page).not.toContain('<script>');
    expect(page).toContain('Central: central&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; (region central)');
    expect(page).toContain('<th class="num" scope="col">seattle&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</th>');
    expect(page).toContain('<td>Steel | Pants&lt;script&gt;');
  });

  it('is absent, from the page and its navigation, when the run has no regional-central results', () => {
    expect(section(completedRun())).toBe('');
    const page = renderPageHtml({ results: completedRun(), faults: [], charts: [], chartNotes: [] });
    expect(page).not.toContain('regional-central');
  });
});
