import type { ChartBuilder } from './chart-types.ts';
import { CHART_CONFIG, WIDTH } from './chart-theme.ts';

// Scenarios with regions: what a customer in each region waits for, operation by operation. A
// bar one transatlantic round trip taller in one region than in the other is the cost of where
// the data lives, measured through the link proxy rather than computed from the matrix.

const QUANTILES = [
  { key: 'p50', label: 'p50' },
  { key: 'p99', label: 'p99' },
] as const;

export const regionLatencyChart: ChartBuilder = {
  name: 'region-latency',
  title: 'Latency per client region',
  caption:
    'p50 and p99 of each operation as the clients of each region measured them (log scale); a gap of one round trip between the regions\' dots is a write or read that crossed the ocean.',
  build(context) {
    const regions = Object.entries(context.results.regions ?? {});
    if (regions.length === 0 || context.digest.completions === 0) return undefined;
    const values = regions.flatMap(([region, figures]) =>
      Object.entries(figures.operations).flatMap(([operation, stats]) =>
        stats && stats.count > 0
          ? QUANTILES.map(({ key, label }) => ({ region, operation, quantile: label, ms: Math.max(0.01, stats.latencyMs[key]) }))
          : [],
      ),
    );
    if (values.length === 0) return undefined;
    const operations = context.operations.filter((op) => values.some((v) => v.operation === op));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CHART_CONFIG,
      data: { values },
      facet: { row: { field: 'quantile', type: 'nominal', title: null, sort: QUANTILES.map((q) => q.label) } },
      spec: {
        width: WIDTH - 160,
        height: 34 * operations.length,
        // Points, not bars: a bar on a log scale has no baseline to start from.
        mark: { type: 'point', filled: true, size: 90, tooltip: true },
        encoding: {
          y: { field: 'operation', type: 'nominal', title: null, sort: operations },
          yOffset: { field: 'region', type: 'nominal', sort: regions.map(([name]) => name) },
          x: { field: 'ms', type: 'quantitative', title: 'ms (log scale)', scale: { type: 'log' } },
          color: { field: 'region', type: 'nominal', title: 'client region', sort: regions.map(([name]) => name) },
        },
      },
      resolve: { scale: { x: 'independent' } },
    };
  },
};
