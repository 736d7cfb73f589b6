import type { ChartBuilder } from './chart-types.ts';
import { TIME_TITLE, timeScale } from './chart-theme.ts';
import { overFaults } from './fault-layers.ts';

// How stale each replica's reads were: the heartbeat staleness (what a reader could see, solid)
// beside PostgreSQL's own replay_lag (dashed). The two disagree exactly when it matters: a
// partitioned replica stops receiving WAL, so replay_lag stops growing while staleness climbs.

const NODE_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#9c755f', '#76b7b2', '#edc948', '#ff9da7'];

const HEIGHT = 200;

export const replicationLagChart: ChartBuilder = {
  name: 'replication-lag',
  title: 'Replication lag per replica',
  caption:
    'The solid line is how far behind the primary a read on each replica was (heartbeat staleness) and the dashed line PostgreSQL’s replay_lag; ' +
    'look for staleness climbing while a fault cuts a replica off, and for how fast it returns to zero after the heal.',
  build(context) {
    const points = context.digest.lag;
    if (points.length === 0) return undefined;
    const end = context.digest.endSeconds;
    const nodes = [...new Set(points.map((point) => point.node))].sort();
    return overFaults(context, HEIGHT, {
      data: { values: points },
      mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
      encoding: {
        x: { field: 't', type: 'quantitative', scale: timeScale(end), title: TIME_TITLE },
        y: { field: 'ms', type: 'quantitative', title: 'lag (ms)' },
        color: { field: 'node', type: 'nominal', title: 'node', scale: { domain: nodes, range: nodes.map((_, i) => NODE_COLORS[i % NODE_COLORS.length]!) } },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: 'measure',
          scale: { domain: ['staleness', 'replay lag'], range: [[1, 0], [4, 3]] },
          legend: { symbolType: 'stroke', symbolStrokeColor: '#374151' },
        },
        // One line per replica and measure, not one per replica zig-zagging between the two.
        detail: { field: 'series', type: 'nominal' },
      },
    });
  },
};
