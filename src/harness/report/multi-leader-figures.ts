import { CONFLICT_KINDS, type ConflictCounts, type ConflictReport } from '../results/multi-leader-results.ts';
import type { MultiLeaderResults } from '../results/multi-leader-results.ts';
import { formatCount, formatDecimal, NO_VALUE } from './format-number.ts';

// pg-multi-leader's figures as data: report.md and report.html render the same cells and the
// same sentences from here, so the two reports agree figure for figure. Names (leaders, tables,
// keys, errors) are left raw; each renderer escapes its way. The sentences hold no names.

const RESOLUTIONS = ['apply_remote', 'keep_local', 'skip'] as const;

export const CONFLICT_HEADER = ['Applied on', 'Total', ...CONFLICT_KINDS, ...RESOLUTIONS];
export const CONFLICT_ALIGN = ['left', ...Array<'right'>(1 + CONFLICT_KINDS.length + RESOLUTIONS.length).fill('right')] as const;

/** Follows "Conflicts: <total>, ". */
export const CONFLICTS_NOTE =
  "counted in each leader's server log (pglogical records them nowhere else), by the leader that applied the incoming change." +
  ' pglogical calls it a conflict whenever a change arrives for a row whose current version came from another origin, concurrent or not.' +
  ' keep_local: the incoming change was dropped; apply_remote: it replaced the local version, which loses a write whenever it was made without seeing that version.';

export interface ConflictRow {
  /** The leader that applied the changes; undefined for the row of all leaders. */
  readonly leader?: string;
  readonly figures: readonly string[];
}

function figures(counts: ConflictCounts): string[] {
  return [
    formatCount(counts.total),
    ...CONFLICT_KINDS.map((kind) => formatCount(counts.byKind[kind])),
    ...RESOLUTIONS.map((resolution) => formatCount(counts.byResolution[resolution] ?? 0)),
  ];
}

/** One row per leader, then all leaders together. */
export function conflictRows(conflicts: ConflictReport): ConflictRow[] {
  return [...Object.entries(conflicts.byNode).map(([leader, counts]) => ({ leader, figures: figures(counts) })), { figures: figures(conflicts) }];
}

/** Tables with conflicts, most first: [table, count]. */
export function conflictsByTable(conflicts: ConflictReport): [string, string][] {
  return Object.entries(conflicts.byRelation)
    .sort(([, a], [, b]) => b - a)
    .map(([table, count]) => [table, formatCount(count)]);
}

export const LAG_NOTE = "A->B: how far behind B's copy of A's writes was, from a heartbeat every 50 ms";
export const LAG_HEADER = ['Direction', 'Samples', 'p50 ms', 'p99 ms', 'max ms'];
export const LAG_ALIGN = ['left', 'right', 'right', 'right', 'right'] as const;

/** One row per direction: [direction, samples, p50, p99, max]. */
export function lagRows(ml: MultiLeaderResults): string[][] {
  return Object.entries(ml.lagMs).map(([direction, lag]) => [direction, formatCount(lag.samples), formatDecimal(lag.p50), formatDecimal(lag.p99), formatDecimal(lag.max)]);
}

export const DIVERGENCE_HEADER = ['Table', 'Missing somewhere', 'Different', 'Keys (a few)'];
export const DIVERGENCE_ALIGN = ['left', 'right', 'right', 'left'] as const;

export interface DivergenceRow {
  readonly table: string;
  readonly missing: string;
  readonly different: string;
  readonly keys: readonly string[];
}

export interface Convergence {
  /** Follows "Convergence: ": whether the leaders caught up, and whether they then agreed. */
  readonly summary: string;
  readonly differing: readonly DivergenceRow[];
  /** Leaders that could not be read: [leader, error]. */
  readonly unreadable: readonly [string, string][];
}

export function convergence(ml: MultiLeaderResults): Convergence {
  const { divergence } = ml;
  const unreadable = Object.entries(divergence.unreadable);
  const differing = Object.entries(divergence.tables).map(([table, d]) => ({
    table,
    missing: d.tooLarge ? NO_VALUE : formatCount(d.missing),
    different: d.tooLarge ? 'too large to compare row by row' : formatCount(d.different),
    keys: d.keys,
  }));
  let summary =
    ml.catchUpMs === null
      ? "The leaders did not all apply each other's writes within the quiesce bound after the load ended."
      : `Every leader had applied every other's writes ${formatDecimal(ml.catchUpMs)} ms after the load ended (every fault healed).`;
  if (differing.length === 0 && unreadable.length === 0) {
    if (ml.catchUpMs !== null) summary += ' They then held identical rows in every table: converged, whatever the rows say.';
  } else if (differing.length > 0) {
    summary += ` ${formatCount(divergence.rows)} rows still differ between leaders (missing on some, or different contents):`;
  }
  return { summary, differing, unreadable };
}
