import type { RegionalCentralResults, Spread } from '../../topologies/postgres/regional/regional-results.ts';
import { formatCount, formatDecimal, NO_VALUE } from './format-number.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from './results-types.ts';

// pg-regional-central: which region owns what, how fresh central's view of each region was, its
// completeness after heal (the central-completeness check's counts), and the analytics central
// answered. A per-second table of freshness shows a cut link as one region's column climbing.

/** Longer runs keep the series in results.json only: a table of thousands of seconds helps nobody. */
const MAX_SERIES_ROWS = 120;

const spreadCells = (spread: Spread | null | undefined) =>
  spread ? [formatCount(spread.samples), formatDecimal(spread.p50), formatDecimal(spread.p99), formatDecimal(spread.max)] : ['0', NO_VALUE, NO_VALUE, NO_VALUE];

function placementMd(regional: RegionalCentralResults): string {
  return mdTable(
    ['Region', 'Node', 'Replicas', 'Owns customers of', 'Customers'],
    regional.regions.map((r) => [mdText(r.region), mdText(r.node), mdText(r.replicas.join(', ') || NO_VALUE), mdText(r.customerRegions.join(', ')), formatCount(r.customers)]),
    ['left', 'left', 'left', 'left', 'right'],
  );
}

function freshnessMd(regional: RegionalCentralResults): string[] {
  const regions = Object.keys(regional.freshnessMs);
  if (regions.length === 0) return [];
  const parts = [
    "Freshness of central's view of each region (ms): how long ago the oldest heartbeat the region had acknowledged but central did not show yet was written, sampled every 100 ms.",
    mdTable(['Region', 'Samples', 'p50', 'p99', 'max'], regions.map((region) => [mdText(region), ...spreadCells(regional.freshnessMs[region])]), ['left', 'right', 'right', 'right', 'right']),
  ];
  const seconds = [...new Set(regional.freshnessSeries.map((p) => p.time))].sort((a, b) => a - b);
  if (seconds.length > 0 && seconds.length <= MAX_SERIES_ROWS) {
    const worst = new Map(regional.freshnessSeries.map((p) => [`${p.time}|${p.region}`, p.maxMs]));
    const directions = [...new Set(regional.freshnessSeries.map((p) => p.region))];
    parts.push(
      'Worst freshness per second of the run (ms; negative seconds are warmup):',
      mdTable(
        ['Second', ...directions.map(mdText)],
        seconds.map((s) => [String(s), ...directions.map((d) => formatDecimal(worst.get(`${s}|${d}`) ?? Number.NaN))]),
        ['right', ...directions.map(() => 'right' as const)],
      ),
    );
  }
  return parts;
}

function replicasMd(regional: RegionalCentralResults): string[] {
  const names = Object.keys(regional.replicaStalenessMs);
  if (names.length === 0) return [];
  return [
    'Regional replicas, staleness behind their primary (ms):',
    mdTable(['Replica', 'Samples', 'p50', 'p99', 'max'], names.map((name) => [mdText(name), ...spreadCells(regional.replicaStalenessMs[name])]), ['left', 'right', 'right', 'right', 'right']),
  ];
}

function completenessMd(regional: RegionalCentralResults): string[] {
  const c = regional.completeness;
  if (!c) return [];
  const n = (key: string) => formatCount(c[key] ?? 0);
  return [
    `Completeness after heal: ${n('acknowledged')} orders acknowledged by the regions; ${n('onCentral')} on central exactly once and whole, ` +
      `${n('missingCentral')} missing, ${n('duplicated')} duplicated, ${n('incomplete')} incomplete, ${n('extra')} extra; ` +
      `${n('missingRegional')} missing from their own region; ${n('indeterminateOnCentral')} of ${n('indeterminate')} with an unknown outcome reached central.`,
  ];
}

function analyticsMd(regional: RegionalCentralResults): string[] {
  if (regional.analyticsError) return [`Analytics on central failed: ${mdText(regional.analyticsError)}`];
  const a = regional.analytics;
  if (!a) return [];
  return [
    `Analytics on central: sales by region (${formatDecimal(a.queryMs.salesByRegion)} ms), over every order central holds (the dataset's and the run's):`,
    mdTable(
      ['Customers', 'Region', 'Orders', 'Of the run', 'Revenue'],
      a.salesByRegion.map((r) => [mdText(r.customerRegion), mdText(r.region ?? NO_VALUE), formatCount(r.orders), formatCount(r.runOrders), formatDecimal(r.revenue)]),
      ['left', 'left', 'right', 'right', 'right'],
    ),
    `Top products by units sold (${formatDecimal(a.queryMs.topProducts)} ms):`,
    mdTable(
      ['Product', 'Name', 'Units', 'Revenue'],
      a.topProducts.map((p) => [String(p.productId), mdText(p.name), formatCount(p.units), formatDecimal(p.revenue)]),
      ['right', 'left', 'right', 'right'],
    ),
  ];
}

export function renderRegionalCentralMd(results: RunResults): string {
  const regional = results.regionalCentral;
  if (!regional) return '';
  const central = regional.central
    ? `Central: ${mdText(regional.central.node)}${regional.central.region ? ` (region ${mdText(regional.central.region)})` : ''}, fed by logical replication of ${mdText(regional.publishedTables.join(', '))}.`
    : 'No central node: each region holds its own customers and orders only (geo-partitioning).';
  return ['## Regions and central', central, placementMd(regional), ...freshnessMd(regional), ...replicasMd(regional), ...completenessMd(regional), ...analyticsMd(regional)].join('\n\n');
}
