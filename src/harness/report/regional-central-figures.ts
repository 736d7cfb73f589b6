import type { CentralAnalytics } from '../results/regional-central-results.ts';
import type { RegionalCentralResults, Spread } from '../results/regional-central-results.ts';
import { formatCount, formatDecimal, NO_VALUE } from './format-number.ts';

// pg-regional-central's figures as data: report.md and report.html render the same cells and
// sentences from here, so the two reports agree figure for figure. Names (regions, nodes,
// products) are left raw; each renderer escapes its way. Sentences that name something take the
// renderer's escape function, as operation-table.ts's errorList does.

/** Longer runs keep the per-second series in results.json (and report.html's chart) only. */
export const MAX_SERIES_ROWS = 120;

type Escape = (text: string) => string;

export function centralSentence(regional: RegionalCentralResults, escape: Escape): string {
  const { central } = regional;
  if (!central) return 'No central node: each region holds its own customers and orders only (geo-partitioning).';
  const where = central.region ? ` (region ${escape(central.region)})` : '';
  return `Central: ${escape(central.node)}${where}, fed by logical replication of ${escape(regional.publishedTables.join(', '))}.`;
}

export const PLACEMENT_HEADER = ['Region', 'Node', 'Replicas', 'Owns customers of', 'Customers'];
export const PLACEMENT_ALIGN = ['left', 'left', 'left', 'left', 'right'] as const;

export function placementRows(regional: RegionalCentralResults): string[][] {
  return regional.regions.map((r) => [r.region, r.node, r.replicas.join(', ') || NO_VALUE, r.customerRegions.join(', '), formatCount(r.customers)]);
}

/** A header for a table of spreads, first column named `first`. */
export const spreadHeader = (first: string) => [first, 'Samples', 'p50', 'p99', 'max'];
export const SPREAD_ALIGN = ['left', 'right', 'right', 'right', 'right'] as const;

function spreadRow(name: string, spread: Spread | null | undefined): string[] {
  return spread
    ? [name, formatCount(spread.samples), formatDecimal(spread.p50), formatDecimal(spread.p99), formatDecimal(spread.max)]
    : [name, '0', NO_VALUE, NO_VALUE, NO_VALUE];
}

export const FRESHNESS_NOTE =
  "Freshness of central's view of each region (ms): how long ago the oldest heartbeat the region had acknowledged but central did not show yet was written, sampled every 100 ms.";

/** [region, samples, p50, p99, max]; empty without central. */
export function freshnessRows(regional: RegionalCentralResults): string[][] {
  return Object.entries(regional.freshnessMs).map(([region, spread]) => spreadRow(region, spread));
}

export const PER_SECOND_NOTE = 'Worst freshness per second of the run (ms; negative seconds are warmup)';

export interface PerSecondTable {
  readonly regions: readonly string[];
  /** [second, worst ms of each region]. */
  readonly rows: readonly string[][];
}

/** Each second's worst freshness per region; undefined when there is none, or too many seconds to list. */
export function freshnessPerSecond(regional: RegionalCentralResults): PerSecondTable | undefined {
  const series = regional.freshnessSeries;
  const seconds = [...new Set(series.map((p) => p.time))].sort((a, b) => a - b);
  if (seconds.length === 0 || seconds.length > MAX_SERIES_ROWS) return undefined;
  const worst = new Map(series.map((p) => [`${p.time}|${p.region}`, p.maxMs]));
  const regions = [...new Set(series.map((p) => p.region))];
  return { regions, rows: seconds.map((s) => [String(s), ...regions.map((r) => formatDecimal(worst.get(`${s}|${r}`) ?? Number.NaN))]) };
}

export const REPLICAS_NOTE = 'Regional replicas, staleness behind their primary (ms):';

/** [replica, samples, p50, p99, max]. */
export function replicaRows(regional: RegionalCentralResults): string[][] {
  return Object.entries(regional.replicaStalenessMs).map(([name, spread]) => spreadRow(name, spread));
}

/** The central-completeness check's counts in a sentence; undefined when the check did not run. */
export function completenessSentence(regional: RegionalCentralResults): string | undefined {
  const c = regional.completeness;
  if (!c) return undefined;
  const n = (key: string) => formatCount(c[key] ?? 0);
  return (
    `Completeness after heal: ${n('acknowledged')} orders acknowledged by the regions; ${n('onCentral')} on central exactly once and whole, ` +
    `${n('missingCentral')} missing, ${n('duplicated')} duplicated, ${n('incomplete')} incomplete, ${n('extra')} extra; ` +
    `${n('missingRegional')} missing from their own region; ${n('indeterminateOnCentral')} of ${n('indeterminate')} with an unknown outcome reached central.`
  );
}

export const ANALYTICS_FAILED = 'Analytics on central failed:';

export const salesNote = (a: CentralAnalytics) =>
  `Analytics on central: sales by region (${formatDecimal(a.queryMs.salesByRegion)} ms), over every order central holds (the dataset's and the run's):`;
export const SALES_HEADER = ['Customers', 'Region', 'Orders', 'Of the run', 'Revenue'];
export const SALES_ALIGN = ['left', 'left', 'right', 'right', 'right'] as const;

export function salesRows(a: CentralAnalytics): string[][] {
  return a.salesByRegion.map((r) => [r.customerRegion, r.region ?? NO_VALUE, formatCount(r.orders), formatCount(r.runOrders), formatDecimal(r.revenue)]);
}

export const productsNote = (a: CentralAnalytics) => `Top products by units sold (${formatDecimal(a.queryMs.topProducts)} ms):`;
export const PRODUCTS_HEADER = ['Product', 'Name', 'Units', 'Revenue'];
export const PRODUCTS_ALIGN = ['right', 'left', 'right', 'right'] as const;

export function productRows(a: CentralAnalytics): string[][] {
  return a.topProducts.map((p) => [String(p.productId), p.name, formatCount(p.units), formatDecimal(p.revenue)]);
}
