import type { PartitionedTableSpec } from '../../../harness/scenario/schema.ts';

// The DDL that turns a coordinator table into a partitioned parent whose partitions are
// postgres_fdw foreign tables on the shards. Pure functions over the table's shape as read from
// the coordinator's catalog (PostgreSQL has no pg_get_tabledef), so they are unit-tested
// without a server and the workload's own DDL stays the one definition of every table.

export interface ColumnShape {
  readonly name: string;
  /** format_type(atttypid, atttypmod): "numeric(10,2)", "bigint[]", ... */
  readonly type: string;
  readonly notNull: boolean;
  /** pg_get_expr of the default, or null. */
  readonly default: string | null;
}

export interface TableShape {
  readonly table: string;
  readonly columns: readonly ColumnShape[];
  /** PRIMARY KEY and UNIQUE constraints, as pg_get_constraintdef prints them, with their names. */
  readonly keys: readonly { readonly name: string; readonly def: string }[];
  readonly checks: readonly { readonly name: string; readonly def: string }[];
  /** CREATE INDEX statements (pg_get_indexdef) of indexes that back no constraint. */
  readonly indexes: readonly string[];
  /** pg_class.reloptions, e.g. "fillfactor=70". */
  readonly reloptions: readonly string[];
}

export interface ShardServer {
  /** Foreign server name on the coordinator; also the shard node's name. */
  readonly name: string;
  readonly port: number;
  readonly database: string;
  /** Where the coordinator reaches it: 127.0.0.1 (local processes) or its name on the run's Docker network. */
  readonly host?: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function boundLiteral(value: string | number): string {
  return typeof value === 'number' ? String(value) : quoteLiteral(value);
}

function columnLines(shape: TableShape): string[] {
  return shape.columns.map(
    (c) => `${quoteIdent(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.default === null ? '' : ` DEFAULT ${c.default}`}`,
  );
}

function withClause(shape: TableShape): string {
  return shape.reloptions.length > 0 ? ` WITH (${shape.reloptions.join(', ')})` : '';
}

/** The real table on a shard: every column, key, check, index and storage option of the original. */
export function shardTableDdl(shape: TableShape): string {
  const lines = [
    ...columnLines(shape),
    ...shape.keys.map((k) => `CONSTRAINT ${quoteIdent(k.name)} ${k.def}`),
    ...shape.checks.map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.def}`),
  ];
  const create = `CREATE TABLE ${quoteIdent(shape.table)} (\n  ${lines.join(',\n  ')}\n)${withClause(shape)}`;
  return [create, ...shape.indexes].join(';\n');
}

function partitionBy(spec: PartitionedTableSpec): string {
  const key = quoteIdent(spec.key);
  switch (spec.strategy) {
    case 'hash':
      return `PARTITION BY HASH (${key})`;
    case 'range':
      return `PARTITION BY RANGE (${key})`;
    case 'list':
      return `PARTITION BY LIST (${key})`;
  }
}

/**
 * The coordinator's parent: same columns and checks, but no primary key, unique constraint or
 * index, because PostgreSQL cannot build any index over foreign partitions. Uniqueness is
 * enforced by each shard's own key; it is global only when the key contains the partition key.
 */
export function parentTableDdl(shape: TableShape, spec: PartitionedTableSpec): string {
  const lines = [...columnLines(shape), ...shape.checks.map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.def}`)];
  return `CREATE TABLE ${quoteIdent(shape.table)} (\n  ${lines.join(',\n  ')}\n) ${partitionBy(spec)}`;
}

/** FOR VALUES of shard i (0-based) of `count`: together they cover the whole key domain, with no DEFAULT partition. */
export function partitionBound(spec: PartitionedTableSpec, i: number, count: number): string {
  switch (spec.strategy) {
    case 'hash':
      return `FOR VALUES WITH (MODULUS ${count}, REMAINDER ${i})`;
    case 'range': {
      const from = i === 0 ? 'MINVALUE' : boundLiteral(spec.bounds[i - 1]!);
      const to = i === count - 1 ? 'MAXVALUE' : boundLiteral(spec.bounds[i]!);
      return `FOR VALUES FROM (${from}) TO (${to})`;
    }
    case 'list':
      return `FOR VALUES IN (${spec.lists[i]!.map(boundLiteral).join(', ')})`;
  }
}

export function partitionName(table: string, server: string): string {
  return `${table}_${server}`;
}

/** One foreign partition per shard, each naming the shard's real table of the same name. */
export function foreignPartitionsDdl(table: string, spec: PartitionedTableSpec, servers: readonly string[]): string[] {
  return servers.map(
    (server, i) =>
      `CREATE FOREIGN TABLE ${quoteIdent(partitionName(table, server))} PARTITION OF ${quoteIdent(table)} ` +
      `${partitionBound(spec, i, servers.length)} SERVER ${quoteIdent(server)} ` +
      `OPTIONS (schema_name 'public', table_name ${quoteLiteral(table)})`,
  );
}

/**
 * async_capable lets an Append over several shards run their remote scans concurrently (Async
 * Foreign Scan); batch_size groups routed INSERT/COPY rows into multi-row remote INSERTs.
 */
export function foreignServerDdl(server: ShardServer, batchSize: number): string {
  return (
    `CREATE SERVER ${quoteIdent(server.name)} FOREIGN DATA WRAPPER postgres_fdw OPTIONS (` +
    `host ${quoteLiteral(server.host ?? '127.0.0.1')}, port ${quoteLiteral(String(server.port))}, dbname ${quoteLiteral(server.database)}, ` +
    `async_capable 'true', batch_size ${quoteLiteral(String(batchSize))})`
  );
}

/** Holds the run's password: run it only where statements are not logged, never print it. */
export function userMappingDdl(server: string, user: string, password: string): string {
  return `CREATE USER MAPPING FOR PUBLIC SERVER ${quoteIdent(server)} OPTIONS (user ${quoteLiteral(user)}, password ${quoteLiteral(password)})`;
}
