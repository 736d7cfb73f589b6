import type pg from 'pg';
import { snapshotNode, TABLE_KEYS } from '../final-state/table-snapshot-pg.ts';
import type { Divergence, TableDivergence } from '../../../harness/results/multi-leader-results.ts';
import { errorMessage } from '../../../harness/output/errors.ts';

export type { Divergence, TableDivergence };

// What leaders still disagree on once replication has caught up: tables are fingerprinted on
// every leader first (cheap), and only a table whose fingerprints differ is compared row by row,
// by primary key and a hash of the row's text. Under apply_remote or keep_local two leaders
// keep different versions of a row forever; under last/first_update_wins they should not.

/** Row-by-row comparison stops beyond this many rows on one leader: memory stays bounded. */
const MAX_ROWS_COMPARED = 200_000;
const MAX_KEYS_LISTED = 5;

/** Pure: key → row hash per leader in, what differs out. */
export function diffRows(perLeader: readonly ReadonlyMap<string, string>[]): TableDivergence {
  const keys = new Set<string>();
  for (const rows of perLeader) for (const key of rows.keys()) keys.add(key);
  let missing = 0;
  let different = 0;
  const listed: string[] = [];
  for (const key of [...keys].sort()) {
    const hashes = perLeader.map((rows) => rows.get(key));
    const isMissing = hashes.some((hash) => hash === undefined);
    const isDifferent = !isMissing && new Set(hashes).size > 1;
    if (!isMissing && !isDifferent) continue;
    if (isMissing) missing++;
    else different++;
    if (listed.length < MAX_KEYS_LISTED) listed.push(key);
  }
  return { missing, different, keys: listed };
}

async function rowHashes(client: pg.ClientBase, table: string, key: readonly string[]): Promise<Map<string, string> | undefined> {
  const columns = key.map((column) => `t."${column}"`).join(", ',', ");
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query("SET LOCAL TimeZone = 'UTC'");
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'");
    const { rows: size } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table}"`);
    if (Number(size[0]?.n ?? 0) > MAX_ROWS_COMPARED) return undefined;
    const { rows } = await client.query<{ k: string; h: string }>(`SELECT concat(${columns}) AS k, md5(t::text) AS h FROM "${table}" AS t`);
    return new Map(rows.map((row) => [row.k, row.h]));
  } finally {
    await client.query('COMMIT').catch(() => undefined);
  }
}

export async function findDivergence(clients: Readonly<Record<string, pg.ClientBase>>): Promise<Divergence> {
  const unreadable: Record<string, string> = {};
  const readable: [string, pg.ClientBase][] = [];
  const fingerprints = await Promise.all(
    Object.entries(clients).map(async ([leader, client]) => {
      try {
        const snapshot = await snapshotNode(client);
        readable.push([leader, client]);
        return snapshot;
      } catch (error) {
        unreadable[leader] = errorMessage(error);
        return undefined;
      }
    }),
  );
  const snapshots = fingerprints.filter((s) => s !== undefined);
  const tables: Record<string, TableDivergence> = {};
  let rows = 0;
  for (const [table, key] of Object.entries(TABLE_KEYS)) {
    const prints = snapshots.map((s) => `${s[table]!.rows}:${s[table]!.checksum}`);
    if (new Set(prints).size <= 1) continue;
    const hashes = await Promise.all(readable.map(([, client]) => rowHashes(client, table, key)));
    if (hashes.some((h) => h === undefined)) {
      tables[table] = { missing: 0, different: 0, keys: [], tooLarge: true };
      continue;
    }
    const diff = diffRows(hashes as Map<string, string>[]);
    tables[table] = diff;
    rows += diff.missing + diff.different;
  }
  return { rows, tables, unreadable };
}
