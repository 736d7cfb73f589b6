import type pg from 'pg';
import type { ColumnShape, TableShape } from './partition-ddl.ts';

// Reads a table's shape from the catalog, so the shards get exactly what the workload's DDL
// created on the coordinator (types with typmods, defaults, keys, checks, indexes, fillfactor).

export async function readTableShape(client: pg.ClientBase, table: string): Promise<TableShape> {
  const rel = `public.${table}`;
  const columns = await client.query<ColumnShape>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
            pg_get_expr(d.adbin, d.adrelid) AS "default"
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [rel],
  );
  if (columns.rows.length === 0) throw new Error(`table ${table} does not exist on the coordinator`);
  const constraints = await client.query<{ name: string; kind: string; def: string }>(
    `SELECT conname AS name, contype AS kind, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'c') ORDER BY contype DESC, conname`,
    [rel],
  );
  const indexes = await client.query<{ def: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
      WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY i.indexrelid`,
    [rel],
  );
  const options = await client.query<{ reloptions: string[] | null }>('SELECT reloptions FROM pg_class WHERE oid = $1::regclass', [rel]);
  return {
    table,
    columns: columns.rows,
    keys: constraints.rows.filter((c) => c.kind !== 'c').map(({ name, def }) => ({ name, def })),
    checks: constraints.rows.filter((c) => c.kind === 'c').map(({ name, def }) => ({ name, def })),
    indexes: indexes.rows.map((r) => r.def),
    reloptions: options.rows[0]?.reloptions ?? [],
  };
}
