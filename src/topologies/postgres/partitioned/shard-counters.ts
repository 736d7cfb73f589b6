import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { ShardSkew } from '../../../harness/results/results-types.ts';

// Each shard's own view of what it served: pg_stat_user_tables summed over the partitioned
// tables (the coordinator's counters would only count foreign scans, not where rows live).

export interface ShardCounters {
  /** Scans started: seq_scan + idx_scan. */
  readonly reads: number;
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
  readonly rows: number;
  readonly bytes: number;
}

export const ZERO_COUNTERS: ShardCounters = { reads: 0, inserts: 0, updates: 0, deletes: 0, rows: 0, bytes: 0 };

const COUNTERS_SQL = `
SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::bigint::text AS reads,
       coalesce(sum(n_tup_ins), 0)::bigint::text AS inserts,
       coalesce(sum(n_tup_upd), 0)::bigint::text AS updates,
       coalesce(sum(n_tup_del), 0)::bigint::text AS deletes,
       coalesce(sum(n_live_tup), 0)::bigint::text AS rows,
       coalesce(sum(pg_total_relation_size(relid)), 0)::bigint::text AS bytes
  FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname = ANY($1)`;

type CounterRow = Record<keyof ShardCounters, string>;

export async function readCounters(client: pg.ClientBase, tables: readonly string[]): Promise<ShardCounters> {
  // A fresh stats snapshot each time, whatever stats_fetch_consistency says.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const row = (await client.query<CounterRow>(COUNTERS_SQL, [tables])).rows[0]!;
  return {
    reads: Number(row.reads),
    inserts: Number(row.inserts),
    updates: Number(row.updates),
    deletes: Number(row.deletes),
    rows: Number(row.rows),
    bytes: Number(row.bytes),
  };
}

export function same(a: ShardCounters, b: ShardCounters): boolean {
  return a.reads === b.reads && a.inserts === b.inserts && a.updates === b.updates && a.deletes === b.deletes;
}

/**
 * Counters once they stop moving. A backend publishes its statistics when it exits or at most
 * once a second while busy, so right after the workers (and with them the coordinator's FDW
 * connections) went away the shards' figures may still be on their way.
 */
export async function settledCounters(read: () => Promise<ShardCounters[]>, timeoutMs = 3_000, stepMs = 150): Promise<ShardCounters[]> {
  const deadline = Date.now() + timeoutMs;
  let previous = await read();
  for (;;) {
    await sleep(stepMs);
    const current = await read();
    if (current.every((c, i) => same(c, previous[i]!)) || Date.now() > deadline) return current;
    previous = current;
  }
}

export function delta(after: ShardCounters, before: ShardCounters): ShardCounters {
  return {
    reads: after.reads - before.reads,
    inserts: after.inserts - before.inserts,
    updates: after.updates - before.updates,
    deletes: after.deletes - before.deletes,
    rows: after.rows,
    bytes: after.bytes,
  };
}

/** Touched: the shard scanned, inserted, updated or deleted anything. */
export function touched(change: ShardCounters): boolean {
  return change.reads > 0 || change.inserts > 0 || change.updates > 0 || change.deletes > 0;
}

/** max / mean: 1 is a perfectly even spread, K (the shard count) is everything on one shard. */
export function maxOverMean(values: readonly number[]): number | null {
  const total = values.reduce((sum, v) => sum + v, 0);
  if (values.length === 0 || total === 0) return null;
  return Math.round((Math.max(...values) / (total / values.length)) * 1000) / 1000;
}

export function skewOf(loads: readonly Pick<ShardCounters, 'reads' | 'inserts' | 'updates'>[]): ShardSkew {
  return {
    reads: maxOverMean(loads.map((l) => l.reads)),
    inserts: maxOverMean(loads.map((l) => l.inserts)),
    updates: maxOverMean(loads.map((l) => l.updates)),
  };
}
