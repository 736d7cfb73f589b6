import {
  ANALYTICS_FAILED,
  centralSentence,
  completenessSentence,
  FRESHNESS_NOTE,
  freshnessPerSecond,
  freshnessRows,
  PER_SECOND_NOTE,
  PLACEMENT_ALIGN,
  PLACEMENT_HEADER,
  placementRows,
  PRODUCTS_ALIGN,
  PRODUCTS_HEADER,
  productRows,
  productsNote,
  REPLICAS_NOTE,
  replicaRows,
  SALES_ALIGN,
  SALES_HEADER,
  salesNote,
  salesRows,
  SPREAD_ALIGN,
  spreadHeader,
} from '../../regional-central-figures.ts';
import type { RunResults } from '../../../results/results-types.ts';
import type { RegionalCentralResults } from '../../../results/regional-central-results.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlTable } from './html-table.ts';

// pg-regional-central, as report.md has it (both render ../../regional-central-figures.ts):
// placement, central's freshness per region, regional replicas, completeness after heal and
// central's analytics. The per-second freshness table is folded away: the chart of the same
// series (central-freshness) is the way to read it. Region, node and product names are escaped.

function freshnessHtml(regional: RegionalCentralResults): SafeHtml {
  const rows = freshnessRows(regional);
  if (rows.length === 0) return html``;
  const perSecond = freshnessPerSecond(regional);
  const table = perSecond
    ? html`<details><summary>${PER_SECOND_NOTE} (${perSecond.rows.length} s)</summary>${htmlTable(
        ['Second', ...perSecond.regions],
        perSecond.rows,
        perSecond.rows[0]!.map(() => 'right' as const),
        'freshness-per-second',
      )}</details>`
    : '';
  return html`<h3>Central’s freshness per region</h3><p class="note">${FRESHNESS_NOTE}</p>${htmlTable(spreadHeader('Region'), rows, SPREAD_ALIGN, 'freshness')}${table}`;
}

function replicasHtml(regional: RegionalCentralResults): SafeHtml {
  const rows = replicaRows(regional);
  return rows.length === 0 ? html`` : html`<p>${REPLICAS_NOTE}</p>${htmlTable(spreadHeader('Replica'), rows, SPREAD_ALIGN, 'replica-staleness')}`;
}

function analyticsHtml(regional: RegionalCentralResults): SafeHtml {
  if (regional.analyticsError) return html`<h3>Analytics</h3><p>${ANALYTICS_FAILED}</p><pre>${regional.analyticsError}</pre>`;
  const a = regional.analytics;
  if (!a) return html``;
  return html`<h3>Analytics</h3><p>${salesNote(a)}</p>${htmlTable(SALES_HEADER, salesRows(a), SALES_ALIGN, 'sales-by-region')}<p>${productsNote(a)}</p>${htmlTable(
    PRODUCTS_HEADER,
    productRows(a),
    PRODUCTS_ALIGN,
    'top-products',
  )}`;
}

export function renderRegionalCentralHtml(results: RunResults): SafeHtml {
  const regional = results.regionalCentral;
  if (!regional) return html``;
  const completeness = completenessSentence(regional);
  return html`<section id="regional-central"><h2>Regions and central</h2>
<p>${centralSentence(regional, (name) => name)}</p>
${htmlTable(PLACEMENT_HEADER, placementRows(regional), PLACEMENT_ALIGN, 'placement')}${freshnessHtml(regional)}${replicasHtml(regional)}${completeness ? html`<p>${completeness}</p>` : ''}${analyticsHtml(regional)}</section>`;
}
