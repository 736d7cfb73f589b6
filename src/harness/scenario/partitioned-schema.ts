import { z } from 'zod';
import { ECOMMERCE_TABLES, SCHEMA_PG } from '../data-model/ecommerce-schema-pg.ts';

// pg-partitioned's layout beyond horizontal partitions: streaming replicas per shard, reference
// tables copied to every shard, and vertical partitioning (seed 001: one table's column groups
// on different nodes). The rules a layout must follow are checked here, before any server starts.

const ColumnName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column name');

export const ReplicasPerShard = z.int().min(0).max(3).default(0).meta({
  description:
    'asynchronous streaming replicas of each shard (shard1-r1, ...): copies for faults and lag, never read by clients ' +
    "(the coordinator's postgres_fdw servers point at the shard primaries) and not counted in shard placement",
});

export const ReferenceTables = z.array(z.enum(ECOMMERCE_TABLES)).default([]).meta({
  description:
    'tables kept authoritative on the coordinator (all writes go there) and copied to every shard by native logical ' +
    'replication (a publication on the coordinator, a subscription per shard); not partitioned',
});

export const VerticalTables = z
  .partialRecord(z.enum(ECOMMERCE_TABLES), z.record(z.string(), z.array(ColumnName).min(1)))
  .default({})
  .meta({
    description:
      'table → shard → its column group (seed 001: shipment details on one node, customer details on another). The ' +
      'primary key is in every group (listed or not); every other column in exactly one. On the coordinator the table ' +
      'becomes a view joining the groups, whose INSTEAD OF triggers route each column group to its shard',
  });

/** Each workload table's columns in order, read from the workload's own DDL (the one definition). */
export function schemaColumns(ddl: string = SCHEMA_PG): ReadonlyMap<string, readonly string[]> {
  const tables = new Map<string, string[]>();
  for (const match of ddl.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\)/g)) {
    const columns = match[2]!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('--') && !/^(PRIMARY|CONSTRAINT|UNIQUE|CHECK|FOREIGN)\b/.test(line))
      .map((line) => line.split(/\s+/)[0]!);
    tables.set(match[1]!, columns);
  }
  return tables;
}

/** The primary key columns of each workload table, from the same DDL. */
export function schemaKeys(ddl: string = SCHEMA_PG): ReadonlyMap<string, readonly string[]> {
  const keys = new Map<string, string[]>();
  for (const match of ddl.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\)/g)) {
    const body = match[2]!;
    const inline = body.match(/^\s*(\w+) [^\n]*PRIMARY KEY/m);
    const separate = body.match(/PRIMARY KEY \(([^)]+)\)/);
    keys.set(match[1]!, separate ? separate[1]!.split(',').map((c) => c.trim()) : inline ? [inline[1]!] : []);
  }
  return keys;
}

type Problem = [(string | number)[], string];

export interface PartitionedLayout {
  readonly shards: number;
  readonly tables: Readonly<Record<string, unknown>>;
  readonly reference: readonly string[];
  readonly vertical: Readonly<Partial<Record<string, Readonly<Record<string, readonly string[]>>>>>;
}

/**
 * A table is partitioned, a reference table or split vertically, never two of them; vertical
 * groups name shards that exist and cover every column once. `unsplittable` are the tables that
 * must stay whole on the coordinator, with the reason (ON CONFLICT, multi-row locking).
 */
export function partitionedLayoutProblems(layout: PartitionedLayout, unsplittable: Readonly<Record<string, string>>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  layout.reference.forEach((table, i) => {
    if (seen.has(table)) problems.push([['reference', i], `${table} is listed twice`]);
    seen.add(table);
    if (table in layout.tables) {
      problems.push([['reference', i], `${table} is partitioned (tables.${table}): a table is either split across the shards or copied to every shard, not both`]);
    }
  });
  const columnsOf = schemaColumns();
  const keysOf = schemaKeys();
  for (const [table, groups] of Object.entries(layout.vertical)) {
    if (!groups) continue;
    const path = ['vertical', table];
    if (table in layout.tables) problems.push([path, `${table} is partitioned (tables.${table}): split it either by rows or by columns, not both`]);
    if (layout.reference.includes(table)) problems.push([path, `${table} is a reference table: a table copied whole to every shard cannot also be split by columns`]);
    const blocker = unsplittable[table];
    if (blocker) problems.push([path, `${table} cannot be split vertically: ${blocker}`]);
    problems.push(...groupProblems(table, groups, layout.shards, columnsOf.get(table) ?? [], keysOf.get(table) ?? []));
  }
  return problems;
}

function groupProblems(
  table: string,
  groups: Readonly<Record<string, readonly string[]>>,
  shards: number,
  columns: readonly string[],
  key: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const path = ['vertical', table];
  const nodes = Object.keys(groups);
  if (nodes.length < 2) problems.push([path, `${table}: name at least two shards, each with its column group (got ${nodes.length})`]);
  const owner = new Map<string, string>();
  for (const node of nodes) {
    const n = /^shard([1-9]\d*)$/.exec(node);
    if (!n || Number(n[1]) > shards) {
      problems.push([[...path, node], `${node} is not a shard of this topology (shard1 to shard${shards})`]);
    }
    groups[node]!.forEach((column, i) => {
      if (!columns.includes(column)) {
        problems.push([[...path, node, i], `${table} has no column ${column} (it has ${columns.join(', ')})`]);
      } else if (!key.includes(column)) {
        const other = owner.get(column);
        if (other !== undefined) problems.push([[...path, node, i], `${column} is already in ${other}'s group: each column other than the primary key lives on one node`]);
        owner.set(column, node);
      }
    });
  }
  const missing = columns.filter((c) => !key.includes(c) && !owner.has(c));
  if (missing.length > 0 && nodes.length >= 2) {
    problems.push([path, `${table}: every column must be in a group; missing ${missing.join(', ')} (the primary key, ${key.join(', ')}, is in every group by itself)`]);
  }
  return problems;
}
