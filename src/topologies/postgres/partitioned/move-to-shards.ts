import type pg from 'pg';
import type { PartitionedTableSpec } from '../../../harness/scenario/schema.ts';
import {
  foreignPartitionsDdl,
  foreignServerDdl,
  parentTableDdl,
  quoteIdent,
  shardTableDdl,
  userMappingDdl,
  type ShardServer,
  type TableShape,
} from './partition-ddl.ts';
import { readTableShape } from './table-shape.ts';
import { groupForeignTableDdl, groupShape, verticalLayout, verticalTriggerDdl, verticalViewDdl, type VerticalLayout } from './vertical-ddl.ts';

// After the workload's DDL ran on the coordinator: every partitioned table is recreated, real,
// on each shard, and on the coordinator replaced by a partitioned parent with one postgres_fdw
// foreign partition per shard. Reference tables are created whole on every shard (their rows
// arrive later by logical replication); a vertically split table gets each column group on its
// shard and becomes a view on the coordinator. No data exists yet, so nothing has to move.

export interface MovePlan {
  readonly tables: Readonly<Partial<Record<string, PartitionedTableSpec>>>;
  readonly reference?: readonly string[];
  readonly vertical?: Readonly<Partial<Record<string, Readonly<Record<string, readonly string[]>>>>>;
  readonly servers: readonly ShardServer[];
  readonly batchSize: number;
  readonly user: string;
  readonly password: string;
}

/** What the shards' DDL was built from, for whoever reports on it (vertical groups, in order). */
export interface MovedLayout {
  readonly vertical: readonly VerticalLayout[];
}

export async function moveTablesToShards(
  coordinator: pg.ClientBase,
  shardClients: readonly pg.ClientBase[],
  plan: MovePlan,
): Promise<MovedLayout> {
  const entries = Object.entries(plan.tables).filter((e): e is [string, PartitionedTableSpec] => e[1] !== undefined);
  const splits = Object.entries(plan.vertical ?? {}).filter((e): e is [string, Record<string, string[]>] => e[1] !== undefined);
  const reference = plan.reference ?? [];
  // Every shape is read from the catalog before anything is dropped.
  const shapes = new Map<string, TableShape>();
  for (const table of [...entries.map(([t]) => t), ...reference, ...splits.map(([t]) => t)]) shapes.set(table, await readTableShape(coordinator, table));
  const shape = (table: string) => shapes.get(table)!;
  if (shapes.size === 0) return { vertical: [] };
  for (const [table, spec] of entries) {
    const { columns } = shape(table);
    if (!columns.some((c) => c.name === spec.key)) {
      throw new Error(`tables.${table}.key: ${table} has no column ${spec.key} (it has ${columns.map((c) => c.name).join(', ')})`);
    }
  }
  const layouts = splits.map(([table, groups]) => verticalLayout(shape(table), groups));
  const everywhere = [...entries.map(([table]) => shape(table)), ...reference.map(shape)];
  await Promise.all(
    shardClients.map(async (shard, i) => {
      const node = plan.servers[i]!.name;
      const groups = layouts.flatMap((l) => l.groups.filter((g) => g.node === node).map((g) => groupShape(shape(l.table), g)));
      const ddl = [...everywhere, ...groups].map(shardTableDdl);
      if (ddl.length > 0) await shard.query(ddl.join(';\n'));
    }),
  );
  await shapeCoordinator(coordinator, plan, entries, layouts, shape);
  return { vertical: layouts };
}

async function shapeCoordinator(
  coordinator: pg.ClientBase,
  plan: MovePlan,
  entries: readonly [string, PartitionedTableSpec][],
  layouts: readonly VerticalLayout[],
  shape: (table: string) => TableShape,
): Promise<void> {
  await coordinator.query('BEGIN');
  try {
    await coordinator.query('CREATE EXTENSION IF NOT EXISTS postgres_fdw');
    // The user mapping carries the run's password: a failing statement must not be written to
    // the server log with it (logs are masked when copied, but they need not hold it at all).
    await coordinator.query("SET LOCAL log_min_error_statement = 'panic'");
    for (const server of plan.servers) {
      await coordinator.query(foreignServerDdl(server, plan.batchSize));
      await coordinator.query(userMappingDdl(server.name, plan.user, plan.password));
    }
    const names = plan.servers.map((s) => s.name);
    for (const [table, spec] of entries) {
      await coordinator.query(`DROP TABLE ${quoteIdent(table)}`);
      await coordinator.query(parentTableDdl(shape(table), spec));
      for (const ddl of foreignPartitionsDdl(table, spec, names)) await coordinator.query(ddl);
    }
    for (const layout of layouts) {
      const tableShape = shape(layout.table);
      await coordinator.query(`DROP TABLE ${quoteIdent(layout.table)}`);
      for (const group of layout.groups) await coordinator.query(groupForeignTableDdl(tableShape, group));
      for (const ddl of [...verticalViewDdl(tableShape, layout), ...verticalTriggerDdl(tableShape, layout)]) await coordinator.query(ddl);
    }
    await coordinator.query('COMMIT');
  } catch (error) {
    await coordinator.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
