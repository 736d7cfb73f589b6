import type { ChartBuilder, ChartContext, ChartLayer, ChartPanel } from './chart-types.ts';
import { CHART_CONFIG, WIDTH, TIME_TITLE, operationColors, timeScale } from './chart-theme.ts';
import { failoverLayers, faultLayers } from './fault-layers.ts';

// Jepsen's latency-quantiles plot, one small panel per operation (nine operations' p50 and p99
// on one axis would be eighteen tangled lines). Panels share the log latency axis, so a panel
// that sits higher is a slower operation.

const COLUMNS = 2;
const PANEL_HEIGHT = 90;

function panel(context: ChartContext, f: string, index: number, count: number): ChartPanel {
  const end = context.digest.endSeconds;
  const bottomRow = index >= count - COLUMNS;
  const colors = operationColors(context.operations);
  const line: ChartLayer = {
    data: { values: context.digest.latency.filter((point) => point.f === f) },
    mark: { type: 'line', strokeWidth: 1.6 },
    encoding: {
      x: {
        field: 't',
        type: 'quantitative',
        scale: timeScale(end),
        title: bottomRow ? TIME_TITLE : null,
      },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms)', axis: { tickCount: 4 } },
      color: { field: 'f', type: 'nominal', scale: colors, legend: null },
      strokeDash: {
        field: 'quantile',
        type: 'nominal',
        scale: { domain: ['p50', 'p99'], range: [[1, 0], [4, 2]] },
        legend: { title: 'quantile', orient: 'top', symbolType: 'stroke', symbolStrokeColor: '#374151' },
      },
    },
  };
  return {
    title: f,
    width: Math.floor((WIDTH - 80) / COLUMNS),
    height: PANEL_HEIGHT,
    layer: [...faultLayers(context, index === 0), ...failoverLayers(context), line],
  };
}

export const latencyQuantilesChart: ChartBuilder = {
  name: 'latency-quantiles',
  title: 'Latency quantiles over time, per operation',
  caption:
    'Each panel is one operation: the solid line is the median (p50) and the dashed line the p99 of the operations ' +
    'started in each second; look for the lines jumping inside a shaded fault window and how long they take to come back.',
  note(context) {
    const width = context.digest.bucketSeconds;
    return width > 1 ? `This run is long, so each point covers ${width} s instead of 1 s.` : undefined;
  },
  build(context) {
    const withData = context.operations.filter((f) => context.digest.latency.some((point) => point.f === f));
    if (withData.length === 0) return undefined;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CHART_CONFIG,
      columns: COLUMNS,
      concat: withData.map((f, index) => panel(context, f, index, withData.length)),
      resolve: { scale: { y: 'shared', x: 'shared' } },
    };
  },
};
