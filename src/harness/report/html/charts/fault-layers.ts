import type { ChartContext, ChartLayer, ChartSpec } from './chart-types.ts';
import { CHART_CONFIG, TIME_TITLE, WIDTH, timeScale } from './chart-theme.ts';

// Jepsen's perf plots shade each fault from its start to its heal, so a latency spike or a
// throughput gap can be read against the fault that caused it. Every time chart gets the same
// layers: a translucent rect per fault labelled with its kind, and a rule per failover (dashed
// when the loss was detected, solid when the new primary took writes).

const FAULT_FILL = '#e15759';
const FAILOVER_COLOR = '#374151';
const LANE_PX = 13;

export interface FaultBand {
  readonly id: number;
  readonly label: string;
  readonly start: number;
  readonly end: number;
  /** Pixel offset of the label from the top: overlapping faults get their own line. */
  readonly labelY: number;
}

export function faultBands(context: ChartContext): FaultBand[] {
  const end = context.digest.endSeconds;
  const laneEnds: number[] = [];
  return [...context.faults]
    .sort((a, b) => a.startMs - b.startMs || a.id - b.id)
    .filter((fault) => fault.startMs / 1000 < end)
    .map((fault) => {
      const start = Math.max(0, fault.startMs / 1000);
      const stop = Math.min(end, fault.endMs === undefined ? end : fault.endMs / 1000);
      let lane = laneEnds.findIndex((laneEnd) => laneEnd <= start);
      if (lane === -1) lane = laneEnds.length;
      // A label needs room even when its fault is short: reserve a few seconds' width for it.
      laneEnds[lane] = Math.max(stop, start + end / 12);
      return { id: fault.id, label: `${fault.kind} #${fault.id}`, start, end: Math.max(stop, start), labelY: 2 + lane * LANE_PX };
    });
}

/** Rects (and, with `labels`, their names) for every fault window; empty when the run had none. */
export function faultLayers(context: ChartContext, labels = true): ChartLayer[] {
  const bands = faultBands(context);
  if (bands.length === 0) return [];
  const scale = timeScale(context.digest.endSeconds);
  const layers: ChartLayer[] = [
    {
      data: { values: bands },
      mark: { type: 'rect', color: FAULT_FILL, opacity: 0.13 },
      encoding: {
        x: { field: 'start', type: 'quantitative', scale, title: TIME_TITLE },
        x2: { field: 'end' },
      },
    },
  ];
  if (labels) {
    layers.push({
      data: { values: bands },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 10, color: '#b42318' },
      encoding: {
        x: { field: 'start', type: 'quantitative', scale, title: TIME_TITLE },
        y: { field: 'labelY', type: 'quantitative', scale: null },
        text: { field: 'label' },
      },
    });
  }
  return layers;
}

interface FailoverMark {
  readonly at: number;
  readonly moment: 'detected' | 'promoted';
  readonly label: string;
}

/**
 * Rules at each failover's detection and promotion; empty without failovers. With `labelY` (the
 * plot's height, in pixels) the promotion is named at the foot of its rule, clear of the fault labels.
 */
export function failoverLayers(context: ChartContext, labelY?: number): ChartLayer[] {
  const end = context.digest.endSeconds;
  const marks: FailoverMark[] = context.results.failovers.flatMap((failover) => [
    { at: failover.detectedAtMs / 1000, moment: 'detected' as const, label: '' },
    { at: failover.promotedAtMs / 1000, moment: 'promoted' as const, label: `failover ${failover.from} → ${failover.to}` },
  ]).filter((mark) => mark.at >= 0 && mark.at <= end);
  if (marks.length === 0) return [];
  const scale = timeScale(end);
  const x = { field: 'at', type: 'quantitative' as const, scale, title: TIME_TITLE };
  // Dashes are fixed on the marks, not encoded: an encoded strokeDash would share its scale (and
  // legend) with the charts' own dashed series.
  const rule = (moment: FailoverMark['moment'], strokeDash: number[]): ChartLayer => ({
    data: { values: marks.filter((mark) => mark.moment === moment) },
    mark: { type: 'rule', color: FAILOVER_COLOR, strokeWidth: 1.5, strokeDash },
    encoding: { x },
  });
  const layers: ChartLayer[] = [rule('detected', [4, 3]), rule('promoted', [1, 0])];
  if (labelY !== undefined) {
    layers.push({
      data: { values: marks.filter((mark) => mark.label !== '') },
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 3, dy: -3, fontSize: 10, color: FAILOVER_COLOR, y: labelY },
      encoding: { x, text: { field: 'label' } },
    });
  }
  return layers;
}

/** A single time chart with the run's faults and failovers drawn behind its data layer. */
export function overFaults(context: ChartContext, height: number, data: ChartLayer): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    width: WIDTH - 150,
    height,
    layer: [...faultLayers(context), ...failoverLayers(context, height), data],
  };
}
