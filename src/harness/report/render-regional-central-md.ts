import { mdTable, mdText, type Align } from './markdown.ts';
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
} from './regional-central-figures.ts';
import type { RunResults } from '../results/results-types.ts';
import type { RegionalCentralResults } from '../results/regional-central-results.ts';

// pg-regional-central: which region owns what, how fresh central's view of each region was, its
// completeness after heal (the central-completeness check's counts), and the analytics central
// answered. A per-second table of freshness shows a cut link as one region's column climbing.
// The figures come from regional-central-figures.ts, as report.html's do.

const table = (header: readonly string[], rows: readonly string[][], align: readonly Align[]) =>
  mdTable(header.map(mdText), rows.map((row) => row.map(mdText)), align);

function freshnessMd(regional: RegionalCentralResults): string[] {
  const rows = freshnessRows(regional);
  if (rows.length === 0) return [];
  const parts = [mdText(FRESHNESS_NOTE), table(spreadHeader('Region'), rows, SPREAD_ALIGN)];
  const perSecond = freshnessPerSecond(regional);
  if (perSecond) {
    parts.push(`${mdText(PER_SECOND_NOTE)}:`, table(['Second', ...perSecond.regions], perSecond.rows, perSecond.rows[0]!.map(() => 'right' as const)));
  }
  return parts;
}

function replicasMd(regional: RegionalCentralResults): string[] {
  const rows = replicaRows(regional);
  return rows.length === 0 ? [] : [mdText(REPLICAS_NOTE), table(spreadHeader('Replica'), rows, SPREAD_ALIGN)];
}

function analyticsMd(regional: RegionalCentralResults): string[] {
  if (regional.analyticsError) return [`${ANALYTICS_FAILED} ${mdText(regional.analyticsError)}`];
  const a = regional.analytics;
  if (!a) return [];
  return [mdText(salesNote(a)), table(SALES_HEADER, salesRows(a), SALES_ALIGN), mdText(productsNote(a)), table(PRODUCTS_HEADER, productRows(a), PRODUCTS_ALIGN)];
}

export function renderRegionalCentralMd(results: RunResults): string {
  const regional = results.regionalCentral;
  if (!regional) return '';
  const completeness = completenessSentence(regional);
  return [
    '## Regions and central',
    centralSentence(regional, mdText),
    table(PLACEMENT_HEADER, placementRows(regional), PLACEMENT_ALIGN),
    ...freshnessMd(regional),
    ...replicasMd(regional),
    ...(completeness ? [mdText(completeness)] : []),
    ...analyticsMd(regional),
  ].join('\n\n');
}
