import type pg from 'pg';
import { quoteIdent, quoteLiteral } from '../partition-ddl.ts';
import type { VerticalLayout } from '../vertical-ddl.ts';

// Which node a row of a partitioned table lives on, decided by PostgreSQL itself: each foreign
// partition's constraint (pg_get_partition_constraintdef: satisfies_hash_partition(...) for
// hash, bounds for range, IN (...) for list) is evaluated on the coordinator against the row's
// key. No hash function or collation is reimplemented here, so the answer is the one the
// coordinator's own INSERT routing would give.

export interface PartitionBound {
  /** The shard node (its foreign server's name). */
  readonly node: string;
  /** The partition constraint, an expression over the key column. */
  readonly constraint: string;
}

export interface RoutedTable {
  readonly table: string;
  readonly key: string;
  /** format_type of the key column: the type of the array parameter. */
  readonly keyType: string;
  readonly partitions: readonly PartitionBound[];
}

/**
 * One query answering for several tables at once: parameter $i holds the keys of tables[i-1];
 * column i is the node of each key, in the keys' order (null when no partition accepts it).
 */
export function routeSql(tables: readonly RoutedTable[]): string {
  const columns = tables.map((t, i) => {
    const cases = t.partitions.map((p) => `WHEN (${p.constraint}) THEN ${quoteLiteral(p.node)}`).join(' ');
    const keys = `unnest($${i + 1}::${t.keyType}[]) WITH ORDINALITY AS k(${quoteIdent(t.key)}, faultline_ord)`;
    return `ARRAY(SELECT CASE ${cases} END FROM ${keys} ORDER BY faultline_ord) AS ${quoteIdent(t.table)}`;
  });
  return `SELECT ${columns.join(', ')}`;
}

const PARTITIONS_SQL = `
SELECT parent.relname AS table, a.attname AS key, format_type(a.atttypid, a.atttypmod) AS "keyType",
       s.srvname AS node, pg_get_partition_constraintdef(part.oid) AS constraint
FROM pg_partitioned_table pt
JOIN pg_class parent ON parent.oid = pt.partrelid
JOIN pg_attribute a ON a.attrelid = parent.oid AND a.attnum = pt.partattrs[0]
JOIN pg_inherits i ON i.inhparent = parent.oid
JOIN pg_class part ON part.oid = i.inhrelid
JOIN pg_foreign_table ft ON ft.ftrelid = part.oid
JOIN pg_foreign_server s ON s.oid = ft.ftserver
WHERE parent.relname = ANY($1::text[]) AND parent.relnamespace = 'public'::regnamespace
ORDER BY parent.relname, s.srvname`;

/** The partitioned tables among `tables`, as the coordinator's catalog describes them. */
export async function readRoutedTables(client: pg.ClientBase, tables: readonly string[]): Promise<RoutedTable[]> {
  const result = await client.query<{ table: string; key: string; keyType: string; node: string; constraint: string }>(PARTITIONS_SQL, [tables]);
  const byTable = new Map<string, RoutedTable & { partitions: PartitionBound[] }>();
  for (const row of result.rows) {
    const entry = byTable.get(row.table) ?? { table: row.table, key: row.key, keyType: row.keyType, partitions: [] };
    entry.partitions.push({ node: row.node, constraint: row.constraint });
    byTable.set(row.table, entry);
  }
  return [...byTable.values()];
}

/** Routes rows of the tables it was built for; every other table stays on the coordinator. */
export class ShardRouter {
  private readonly sql: string;

  constructor(
    readonly tables: readonly RoutedTable[],
    /** Tables split by columns, whose rows go to every group's node, each with its group's columns. */
    readonly vertical: readonly VerticalLayout[] = [],
  ) {
    this.sql = tables.length > 0 ? routeSql(tables) : '';
  }

  isPartitioned(table: string): boolean {
    return this.tables.some((t) => t.table === table);
  }

  keyOf(table: string): string | undefined {
    return this.tables.find((t) => t.table === table)?.key;
  }

  /** The node of each key, per partitioned table; one round trip for all of them. */
  async route(client: pg.ClientBase, keys: ReadonlyMap<string, readonly unknown[]>): Promise<Map<string, string[]>> {
    const routed = new Map<string, string[]>();
    if (this.tables.length === 0) return routed;
    const values = this.tables.map((t) => keys.get(t.table) ?? []);
    const result = await client.query<Record<string, (string | null)[]>>({ name: 'faultline.2pc.route', text: this.sql, values });
    const row = result.rows[0]!;
    this.tables.forEach((t, i) => {
      const nodes = row[t.table] ?? [];
      const missing = nodes.findIndex((node) => node === null);
      if (missing >= 0) throw new Error(`no partition of ${t.table} accepts ${t.key} = ${String(values[i]![missing])}`);
      routed.set(t.table, nodes as string[]);
    });
    return routed;
  }
}
