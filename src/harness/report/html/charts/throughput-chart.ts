import type { ChartBuilder, ChartContext, ChartPanel } from './chart-types.ts';
import { CHART_CONFIG, TIME_TITLE, WIDTH, timeScale } from './chart-theme.ts';
import { failoverLayers, faultLayers } from './fault-layers.ts';

// Throughput and errors per second, from the history's completions (the same operations as the
// tables). Two panels with their own scales: errors are usually a tiny fraction of throughput and
// would vanish on its axis.

const OUTCOME_COLORS = { domain: ['fail', 'info'], range: ['#d62728', '#f2a541'] };

function errorRows(context: ChartContext): { t: number; t2: number; outcome: 'fail' | 'info'; perSecond: number }[] {
  const width = context.digest.bucketSeconds;
  return context.digest.outcomes.flatMap((bucket) => {
    const t2 = Math.min(bucket.t + width, context.digest.endSeconds);
    return [
      { t: bucket.t, t2, outcome: 'fail' as const, perSecond: bucket.fail },
      { t: bucket.t, t2, outcome: 'info' as const, perSecond: bucket.info },
    ];
  });
}

/** Totals per bucket start, and the last total again at the run's end, so the steps span the axis. */
function totalRows(context: ChartContext): { t: number; perSecond: number }[] {
  const rows = context.digest.outcomes.map((bucket) => ({ t: bucket.t, perSecond: bucket.ok + bucket.fail + bucket.info }));
  const last = rows.at(-1);
  if (last !== undefined) rows.push({ t: context.digest.endSeconds, perSecond: last.perSecond });
  return rows;
}

const TOP_HEIGHT = 170;

function throughputPanel(context: ChartContext): ChartPanel {
  const scale = timeScale(context.digest.endSeconds);
  return {
    width: WIDTH - 110,
    height: TOP_HEIGHT,
    title: 'completed operations per second',
    layer: [
      ...faultLayers(context),
      ...failoverLayers(context, TOP_HEIGHT),
      {
        data: { values: totalRows(context) },
        mark: { type: 'area', line: { color: '#4e79a7', strokeWidth: 1.5 }, color: '#4e79a7', opacity: 0.18, interpolate: 'step-after' },
        encoding: {
          x: { field: 't', type: 'quantitative', scale, title: null },
          y: { field: 'perSecond', type: 'quantitative', title: 'ops/s' },
        },
      },
    ],
  };
}

function errorsPanel(context: ChartContext): ChartPanel {
  const scale = timeScale(context.digest.endSeconds);
  const none = context.digest.outcomes.every((bucket) => bucket.fail === 0 && bucket.info === 0);
  return {
    width: WIDTH - 110,
    height: 80,
    title: `failed (certainly not applied) and unknown-outcome operations per second${none ? ': none' : ''}`,
    layer: [
      ...faultLayers(context, false),
      ...failoverLayers(context),
      {
        data: { values: errorRows(context) },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 't', type: 'quantitative', scale, title: TIME_TITLE, bin: { binned: true } },
          x2: { field: 't2' },
          y: {
            field: 'perSecond',
            type: 'quantitative',
            stack: 'zero',
            title: 'ops/s',
            // An all-zero series would otherwise get a degenerate axis labelled 0.000000.
            scale: none ? { domain: [0, 1] } : {},
            axis: { format: ',~f', tickMinStep: 1 },
          },
          color: { field: 'outcome', type: 'nominal', scale: OUTCOME_COLORS, title: 'outcome', legend: { orient: 'right' } },
        },
      },
    ],
  };
}

export const throughputChart: ChartBuilder = {
  name: 'throughput',
  title: 'Throughput and errors over time',
  caption:
    'The top panel counts the operations completed each second and the bottom one those that failed or whose outcome is unknown; ' +
    'a drop to zero inside a fault window is an outage, and its width is how long clients could not work.',
  build(context) {
    if (context.digest.outcomes.length === 0 || context.digest.completions === 0) return undefined;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CHART_CONFIG,
      vconcat: [throughputPanel(context), errorsPanel(context)],
      resolve: { scale: { x: 'shared' } },
    };
  },
};
