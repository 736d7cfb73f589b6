import type { ChartBuilder, ChartContext } from './chart-types.ts';
import { TIME_TITLE, timeScale } from './chart-theme.ts';
import { overFaults } from './fault-layers.ts';

// How stale each replica's reads were: the heartbeat staleness (what a reader could see, solid)
// beside PostgreSQL's own replay_lag (dashed). The two disagree exactly when it matters: a
// partitioned replica stops receiving WAL, so replay_lag stops growing while staleness climbs.
// The lines are not always replicas: pg-multi-leader samples each direction A->B between
// leaders, pg-regional-central each link <region>->central (beside its regional replicas), and
// the title and legend say which.

const NODE_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#9c755f', '#76b7b2', '#edc948', '#ff9da7'];

const HEIGHT = 200;

interface LagText {
  readonly title: string;
  readonly caption: string;
  /** The colour legend's title: what one line is. */
  readonly legend: string;
}

const REPLICAS: LagText = {
  title: 'Replication lag per replica',
  caption:
    'The solid line is how far behind the primary a read on each replica was (heartbeat staleness) and the dashed line PostgreSQL’s replay_lag; ' +
    'look for staleness climbing while a fault cuts a replica off, and for how fast it returns to zero after the heal.',
  legend: 'replica',
};

const DIRECTIONS: LagText = {
  title: 'Replication lag per direction between leaders',
  caption:
    'Each colour is one direction of replication, A->B being how far behind B’s copy of A’s writes was, from heartbeats (solid) beside PostgreSQL’s replay_lag of that subscription (dashed); ' +
    'look for a direction climbing while a fault cuts its link, and for how fast it returns to zero after the heal.',
  legend: 'direction',
};

const CENTRAL_CAPTION =
  'A line named region->central is how far behind central’s copy of that region’s writes was, from heartbeats (solid) beside PostgreSQL’s replay_lag of that subscription (dashed)';
const CENTRAL_HEAL = 'look for a region’s line climbing while a fault cuts its link to central, and for how fast it returns to zero after the heal.';

const CENTRAL: LagText = {
  title: 'Central’s staleness per region',
  caption: `${CENTRAL_CAPTION}; ${CENTRAL_HEAL}`,
  legend: 'region->central',
};

const CENTRAL_AND_REPLICAS: LagText = {
  title: 'Central’s staleness per region, and each regional replica’s lag',
  caption: `${CENTRAL_CAPTION}, and a line named after a replica how far it was behind its region’s primary; ${CENTRAL_HEAL}`,
  legend: 'link or replica',
};

/** The lines' names, sorted: replicas, or links "A->B" (region names cannot hold "->"). */
const seriesOf = (context: ChartContext) => [...new Set(context.digest.lag.map((point) => point.node))].sort();

export function lagText(context: ChartContext): LagText {
  const series = seriesOf(context);
  const links = series.filter((name) => name.includes('->')).length;
  if (links === 0) return REPLICAS;
  if (context.results.topology.kind === 'pg-regional-central') return links === series.length ? CENTRAL : CENTRAL_AND_REPLICAS;
  return DIRECTIONS;
}

export const replicationLagChart: ChartBuilder = {
  name: 'replication-lag',
  title: REPLICAS.title,
  caption: REPLICAS.caption,
  describe: lagText,
  build(context) {
    const points = context.digest.lag;
    if (points.length === 0) return undefined;
    const end = context.digest.endSeconds;
    const nodes = seriesOf(context);
    return overFaults(context, HEIGHT, {
      data: { values: points },
      mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
      encoding: {
        x: { field: 't', type: 'quantitative', scale: timeScale(end), title: TIME_TITLE },
        y: { field: 'ms', type: 'quantitative', title: 'lag (ms)' },
        color: { field: 'node', type: 'nominal', title: lagText(context).legend, scale: { domain: nodes, range: nodes.map((_, i) => NODE_COLORS[i % NODE_COLORS.length]!) } },
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
