import { setTimeout as sleep } from 'node:timers/promises';
import type { PgServerNode } from './pg-server-node.ts';
import { withAdmin } from './single-leader/replication-admin.ts';

// "Has this copy caught up with its source?" without comparing LSNs across logical replication:
// commit a new marker on the source, then wait until the copy shows it. Replication applies the
// source's transactions in commit order, so a copy showing the marker has everything the source
// had when it was written.

/** A heartbeat table with rows (key, seq, at); both names are ours, never from a scenario. */
export interface MarkerTable {
  readonly table: string;
  readonly keyColumn: string;
}

async function writeMarker(source: PgServerNode, where: MarkerTable, key: string, timeoutMs: number): Promise<number> {
  return withAdmin(
    source,
    async (admin) => {
      const { rows } = await admin.query<{ seq: string }>(
        `INSERT INTO ${where.table} AS h (${where.keyColumn}, seq, at) VALUES ($1, 1, clock_timestamp())
         ON CONFLICT (${where.keyColumn}) DO UPDATE SET seq = h.seq + 1, at = excluded.at RETURNING seq::text AS seq`,
        [key],
      );
      return Number(rows[0]!.seq);
    },
    timeoutMs,
  );
}

async function shows(copy: PgServerNode, where: MarkerTable, key: string, marker: number, deadline: number): Promise<boolean> {
  return withAdmin(
    copy,
    async (admin) => {
      for (;;) {
        const { rows } = await admin.query<{ seq: string }>(`SELECT seq::text AS seq FROM ${where.table} WHERE ${where.keyColumn} = $1`, [key]);
        if (Number(rows[0]?.seq ?? 0) >= marker) return true;
        if (Date.now() > deadline) return false;
        await sleep(20);
      }
    },
    Math.max(1_000, deadline - Date.now() + 1_000),
  );
}

/** True once every copy shows a marker committed on `source` now; false on timeout or error. */
export async function copiesShowMarker(
  source: PgServerNode,
  copies: readonly PgServerNode[],
  where: MarkerTable,
  key: string,
  timeoutMs: number,
): Promise<boolean> {
  if (copies.length === 0) return true;
  const deadline = Date.now() + timeoutMs;
  try {
    const marker = await writeMarker(source, where, key, Math.max(1_000, timeoutMs));
    const seen = await Promise.all(copies.map((copy) => shows(copy, where, key, marker, deadline).catch(() => false)));
    return seen.every(Boolean);
  } catch {
    return false;
  }
}
