import type { Spread } from './regional-central-results.ts';

// What pg-partitioned adds to results.json under `partitionedLayout` when a scenario gives its
// shards replicas, copies reference tables to them or splits a table by columns: where each
// copy and column group lives, whether every copy was current after the run, and how stale the
// copies were during it.

export interface ShardReplicaSet {
  readonly shard: string;
  readonly replicas: readonly string[];
}

/** One table on one node, next to its source: rows and whether the contents equal (count + checksum). */
export interface CopyState {
  readonly node: string;
  readonly table: string;
  readonly rows: number;
  readonly sourceRows: number;
  readonly current: boolean;
}

export interface ReferenceLayout {
  readonly tables: readonly string[];
  /** The coordinator's rows of each table, the authoritative copy. */
  readonly coordinatorRows: Readonly<Record<string, number>>;
  /** Every shard's copy of every table (and every shard replica's), read after the final quiesce. */
  readonly copies: readonly CopyState[];
  readonly currentCopies: number;
  readonly staleCopies: number;
  /** With order_items partitioned and products a reference table: one join answered on the coordinator and on the shards. */
  readonly localJoin?: LocalJoinResult;
}

export interface VerticalGroupState {
  readonly node: string;
  readonly columns: readonly string[];
  readonly rows: number;
  /** Parts whose other groups' parts are missing (rows - viewRows): invisible through the view, e.g. left by a commit cut half-way. */
  readonly orphans: number;
}

export interface VerticalTableState {
  readonly table: string;
  readonly key: readonly string[];
  readonly groups: readonly VerticalGroupState[];
  /** Rows the coordinator's view shows: those whose every group holds its part. */
  readonly viewRows: number;
}

export interface PartitionedLayoutResults {
  readonly shardReplicas: readonly ShardReplicaSet[];
  /** Per copy (`coordinator->shard1` for reference tables, `shard1-r1` for a replica): staleness over the run, ms. */
  readonly stalenessMs: Readonly<Record<string, Spread | null>>;
  readonly reference?: ReferenceLayout;
  readonly vertical?: readonly VerticalTableState[];
  /** Why a part of the layout could not be read after the run, when it could not. */
  readonly errors?: readonly string[];
}

export interface LocalJoinResult {
  readonly query: string;
  /** Rows the coordinator pulls from the shards to join them itself: every order line. */
  readonly coordinatorRowsMoved: number;
  /** Rows the shards send when each joins its own lines with its own products: one per category per shard. */
  readonly shardLocalRowsMoved: number;
  /** Best of three, ms: the coordinator's join; the shards' joins, run at once. */
  readonly coordinatorMs: number;
  readonly shardLocalMs: number;
  readonly categories: number;
  readonly sameAnswer: boolean;
}
