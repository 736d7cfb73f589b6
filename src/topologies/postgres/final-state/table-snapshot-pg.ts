import type pg from 'pg';
import type { TableSnapshot } from '../../../harness/checker/final-state.ts';
import type { EcommerceTable } from '../../../harness/workload/ecommerce/schema-pg.ts';

export type { TableSnapshot };

// A table's fingerprint on one node: its row count and an md5 over every row's text in primary
// key order. Two nodes holding the same rows give the same fingerprint whatever their physical
// layout (replicas and a healed old primary lay pages out differently), and a single differing
// column anywhere changes it.

/** Each workload table's primary key: the order rows are hashed in (from schema-pg.ts). */
export const TABLE_KEYS: Readonly<Record<EcommerceTable, readonly string[]>> = {
  categories: ['id'],
  products: ['id'],
  warehouses: ['id'],
  inventory: ['product_id', 'warehouse_id'],
  customers: ['id'],
  carts: ['customer_id'],
  cart_items: ['customer_id', 'product_id'],
  ratings: ['customer_id', 'product_id'],
  orders: ['id'],
  order_items: ['order_id', 'line'],
  payments: ['order_id'],
  shipments: ['order_id'],
};

function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One statement, so the count and the checksum come from the same snapshot. */
export async function snapshotTable(client: pg.ClientBase, table: string, orderBy: readonly string[]): Promise<TableSnapshot> {
  const order = orderBy.map(identifier).join(', ');
  const result = await client.query<{ rows: string; checksum: string }>(
    `SELECT count(*)::text AS rows, md5(coalesce(string_agg(t::text, ',' ORDER BY ${order}), '')) AS checksum FROM ${identifier(table)} AS t`,
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error(`no answer when fingerprinting ${table}`);
  return { rows: Number(row.rows), checksum: row.checksum };
}

/**
 * Every table of one node, in one read-only snapshot. A row's text depends on the session's
 * TimeZone and DateStyle (timestamptz columns), so both are pinned: nodes configured
 * differently must still agree on identical rows.
 */
export async function snapshotNode(
  client: pg.ClientBase,
  tables: Readonly<Record<string, readonly string[]>> = TABLE_KEYS,
): Promise<Record<string, TableSnapshot>> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query("SET LOCAL TimeZone = 'UTC'");
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'");
    const snapshot: Record<string, TableSnapshot> = {};
    for (const [table, key] of Object.entries(tables)) snapshot[table] = await snapshotTable(client, table, key);
    return snapshot;
  } finally {
    await client.query('COMMIT').catch(() => undefined);
  }
}
