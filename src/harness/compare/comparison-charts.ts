import { CHART_CONFIG, WIDTH } from '../report/html/charts/chart-theme.ts';
import type { ChartSpec } from '../report/html/charts/chart-types.ts';
import type { Comparison, MetricName } from './comparison-types.ts';

// Grouped bars for comparison.html: one group per operation, one bar per run, the same colour for
// a run in every chart. Specs only (vega-lite); report/html draws them to inline SVG.

export interface ComparisonChart {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: ChartSpec;
}

// Runs, not operations, get the colours here; Tableau 10 as in the run reports.
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

interface ChartPlan {
  readonly metric: MetricName;
  /** Throughputs add up: their total would dwarf every operation's bars. */
  readonly withTotal: boolean;
  readonly name: string;
  readonly title: string;
  readonly caption: string;
}

const CHARTS: readonly ChartPlan[] = [
  {
    metric: 'p99',
    withTotal: true,
    name: 'p99-by-operation',
    title: 'p99 latency per operation',
    caption: 'Each group is an operation, each bar a run: the tail latency a variant costs (or saves) operation by operation.',
  },
  {
    metric: 'throughput',
    withTotal: false,
    name: 'throughput-by-operation',
    title: 'Throughput per operation',
    caption: 'Completed operations per second over the measured run; in a closed loop slower operations also mean fewer of them.',
  },
];

export function comparisonCharts(comparison: Comparison): ComparisonChart[] {
  if (comparison.runs.length === 0) return [];
  return CHARTS.flatMap((plan) => {
    const spec = groupedBars(comparison, plan);
    return spec ? [{ name: plan.name, title: plan.title, caption: plan.caption, spec }] : [];
  });
}

function groupedBars(comparison: Comparison, plan: ChartPlan): ChartSpec | undefined {
  const table = comparison.metrics.find((m) => m.metric === plan.metric);
  if (!table) return undefined;
  const labels = comparison.runs.map((run) => run.label);
  const rows = plan.withTotal ? [...table.rows, table.total] : table.rows;
  const values = rows.flatMap((row) =>
    row.values.flatMap((value, i) => (value === null ? [] : [{ operation: row.operation, run: labels[i]!, value }])),
  );
  if (values.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // The run charts' x axis is seconds, formatted as numbers; here it names operations.
    config: { ...CHART_CONFIG, axisX: {} },
    width: WIDTH - 40,
    height: 220,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'operation', type: 'nominal', sort: rows.map((row) => row.operation), title: null, axis: { labelAngle: 0, labelLimit: 160 } },
      xOffset: { field: 'run', type: 'nominal', sort: labels },
      y: { field: 'value', type: 'quantitative', title: table.title },
      color: {
        field: 'run',
        type: 'nominal',
        sort: labels,
        scale: { domain: labels, range: labels.map((_, i) => PALETTE[i % PALETTE.length]!) },
        legend: { orient: 'bottom', title: null, labelLimit: 480, columns: 1 },
      },
    },
  };
}
