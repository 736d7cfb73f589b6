import { formatCount } from '../../format-number.ts';
import type { ChartBuilder } from './chart-types.ts';
import { TIME_TITLE, operationColors, timeScale } from './chart-theme.ts';
import { overFaults } from './fault-layers.ts';

// Jepsen's raw latency plot: one point per operation at its start time, so bimodal latencies,
// timeouts (a flat row at the timeout) and the operations stuck behind a fault are visible in a
// way no quantile shows. The points are a deterministic sample (digest/scatter-sample.ts).

const HEIGHT = 280;

export const latencyScatterChart: ChartBuilder = {
  name: 'latency-scatter',
  title: 'Every operation’s latency (sampled)',
  caption:
    'One mark per operation at the moment it started, coloured by operation; crosses failed and triangles have an unknown outcome, ' +
    'so look for columns of slow or failed operations inside a fault window and for flat rows at a timeout.',
  note(context) {
    const { scatter, completions } = context.digest;
    if (scatter.length >= completions) return undefined;
    return (
      `${formatCount(scatter.length)} of ${formatCount(completions)} measured operations: a fixed sample of the successful ones, ` +
      'up to a thousand failed or unknown ones, and the slowest operation of every time bucket.'
    );
  },
  build(context) {
    const points = context.digest.scatter;
    if (points.length === 0) return undefined;
    const end = context.digest.endSeconds;
    return overFaults(context, HEIGHT, {
      data: { values: points },
      mark: { type: 'point', filled: true, size: 14, opacity: 0.55, strokeWidth: 0 },
      encoding: {
        x: { field: 't', type: 'quantitative', scale: timeScale(end), title: TIME_TITLE },
        y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms)' },
        color: { field: 'f', type: 'nominal', scale: operationColors(context.operations), title: 'operation' },
        shape: {
          field: 'outcome',
          type: 'nominal',
          scale: { domain: ['ok', 'fail', 'info'], range: ['circle', 'cross', 'triangle-up'] },
          title: 'outcome',
        },
      },
    });
  },
};
