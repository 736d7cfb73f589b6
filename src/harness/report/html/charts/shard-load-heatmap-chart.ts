import type { ChartBuilder } from './chart-types.ts';
import { CHART_CONFIG, TIME_TITLE, WIDTH } from './chart-theme.ts';

// pg-partitioned: what each shard served, second by second, one row of cells per shard and one
// panel per kind of work. A hotspot is a single lit row: range partitioning on a sequential key
// puts every new order on the last shard, while a hash spreads the same inserts over all rows.

const MEASURES = ['inserts', 'updates', 'reads'] as const;
const ROW_HEIGHT = 22;

export const shardLoadHeatmapChart: ChartBuilder = {
  name: 'shard-load',
  title: 'Load per shard over time',
  caption:
    'Each cell is what one shard served in one second, from its own statistics (inserts and updates are rows, reads are scans started); ' +
    'a row that stays dark while another glows is a hotspot, an evenly coloured column is an even spread.',
  build(context) {
    const series = context.results.shardSeries ?? [];
    // No completed operation: the shards' counters only show the harness's own reads.
    if (series.length === 0 || context.digest.completions === 0) return undefined;
    const values = series.flatMap((point) => MEASURES.map((measure) => ({ time: point.time, shard: point.shard, measure, value: point[measure] })));
    const shards = [...new Set(series.map((point) => point.shard))];
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CHART_CONFIG,
      data: { values },
      facet: { row: { field: 'measure', type: 'nominal', title: null, sort: [...MEASURES] } },
      spec: {
        width: WIDTH - 200,
        height: shards.length * ROW_HEIGHT,
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x: { field: 'time', type: 'ordinal', title: TIME_TITLE, axis: { labelAngle: 0, labelOverlap: true } },
          y: { field: 'shard', type: 'nominal', title: null, scale: { domain: shards } },
          color: { field: 'value', type: 'quantitative', title: 'per second', scale: { scheme: 'orangered' } },
        },
      },
      // Inserts and reads differ by orders of magnitude: each panel gets its own colour scale.
      resolve: { scale: { color: 'independent' } },
    };
  },
};
