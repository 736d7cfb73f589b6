import { CHART_CONFIG, WIDTH } from '../report/html/charts/chart-theme.ts';
import type { ChartSpec } from '../report/html/charts/chart-types.ts';
import type { SeriesFit } from './sizing-types.ts';
import { uslThroughput } from './usl-model.ts';

// Measured orders/s as points, the fitted USL as a line: solid over the measured levels
// (interpolation), dashed beyond them (extrapolation), with the modelled peak marked. A spec
// only; report/html draws it to SVG.

const MEASURED = '#4e79a7';
const FITTED = '#f28e2b';
const SAMPLES = 120;

export function sizingChart(fit: Extract<SeriesFit, { kind: 'fitted' }>): ChartSpec {
  const maxN = Math.max(...fit.fitted.map((p) => p.concurrency));
  const peakN = fit.peak.kind === 'peak' ? fit.peak.concurrency : 0;
  // Far enough to show the turn, never so far that the measured points crowd into a corner.
  const end = Math.min(maxN * 10, Math.max(maxN * 2, peakN * 1.5));
  const curve = Array.from({ length: SAMPLES + 1 }, (_, i) => {
    const n = 1 + ((end - 1) * i) / SAMPLES;
    return { n, x: uslThroughput(fit.parameters, n), part: n <= maxN ? 'fitted (measured range)' : 'extrapolated' };
  });
  // The two parts share the boundary point, so the line has no gap.
  const boundary = { n: maxN, x: uslThroughput(fit.parameters, maxN), part: 'extrapolated' };
  const points = fit.fitted.map((p) => ({ n: p.concurrency, x: p.measured }));
  const peak = fit.peak.kind === 'peak' && fit.peak.concurrency <= end ? [{ n: fit.peak.concurrency, x: fit.peak.throughput, label: `peak N* ≈ ${fit.peak.concurrency.toFixed(1)}` }] : [];
  const x = { field: 'n', type: 'quantitative' as const, title: 'clients N (closed loop)', scale: { domain: [0, end], nice: false } };
  const y = { field: 'x', type: 'quantitative' as const, title: fit.unit, scale: { zero: true } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { ...CHART_CONFIG, axisX: { format: ',~f' } },
    width: WIDTH - 40,
    height: 260,
    layer: [
      {
        data: { values: [...curve, boundary] },
        mark: { type: 'line', color: FITTED, strokeWidth: 2 },
        encoding: {
          x,
          y,
          strokeDash: {
            field: 'part',
            type: 'nominal',
            scale: { domain: ['fitted (measured range)', 'extrapolated'], range: [[1, 0], [6, 4]] },
            legend: { orient: 'bottom', title: null, labelLimit: 320 },
          },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70, color: MEASURED },
        encoding: { x, y, tooltip: [{ field: 'n', title: 'N' }, { field: 'x', title: 'measured', format: ',.1f' }] },
      },
      ...(peak.length > 0
        ? [
            { data: { values: peak }, mark: { type: 'rule' as const, color: '#9ca3af', strokeDash: [3, 3] }, encoding: { x } },
            { data: { values: peak }, mark: { type: 'text' as const, align: 'left' as const, dx: 4, dy: -6, color: '#374151' }, encoding: { x, y, text: { field: 'label' } } },
          ]
        : []),
    ],
  } as ChartSpec;
}
