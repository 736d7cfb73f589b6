import type { ConflictResolution } from '../scenario/schema.ts';

/** results.json `multiLeader`: what bidirectional replication did during the run. */
export interface MultiLeaderResults {
  readonly conflictResolution: ConflictResolution;
  readonly leaders: readonly string[];
  /** Counted from the leaders' server logs, where pglogical reports every conflict it resolves. */
  readonly conflicts: ConflictReport;
  /** Staleness per direction ("us-east->eu-west": eu-west's copy of us-east's writes), from heartbeats. */
  readonly lagMs: Record<string, LagSpread>;
  /**
   * From the end of the load (every fault healed) until every leader had applied every other's
   * writes; null when that did not happen within the quiesce bound.
   */
  readonly catchUpMs: number | null;
  /** catchUpMs when the leaders then held the same rows; null when they did not converge. */
  readonly convergenceMs: number | null;
  /** Rows the leaders still disagree on after catching up. */
  readonly divergence: Divergence;
}

export const CONFLICT_KINDS = ['insert_insert', 'update_update', 'update_delete', 'delete_delete'] as const;

export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export interface ConflictCounts {
  total: number;
  byKind: Record<ConflictKind, number>;
  /** Table name (schema dropped when it is public) → conflicts. */
  byRelation: Record<string, number>;
  /** apply_remote (the incoming row won), keep_local (the row already there won), skip. */
  byResolution: Record<string, number>;
}

export interface ConflictExample {
  readonly node: string;
  readonly kind: ConflictKind;
  readonly relation: string;
  readonly resolution: string;
  /** pglogical's DETAIL: the local and the remote tuple, origins and commit timestamps. */
  readonly detail?: string;
}

export interface ConflictReport extends ConflictCounts {
  /** Per applying node: conflicts are logged where the remote change arrives. */
  readonly byNode: Record<string, ConflictCounts>;
  readonly examples: ConflictExample[];
}

export interface TableDivergence {
  /** Keys present on some leaders but not all. */
  readonly missing: number;
  /** Keys present everywhere with different contents. */
  readonly different: number;
  /** A few of the keys, as text. */
  readonly keys: readonly string[];
  /** Set when the table was too large to compare row by row: only the fingerprints differed. */
  readonly tooLarge?: true;
}

export interface Divergence {
  /** Rows that differ (missing somewhere or different), over every table. */
  readonly rows: number;
  readonly tables: Record<string, TableDivergence>;
  /** Leaders that could not be read, with the error. */
  readonly unreadable: Record<string, string>;
}

export interface LagSpread {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}
