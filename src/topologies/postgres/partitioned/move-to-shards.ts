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

// After the workload's DDL ran on the coordinator: every partitioned table is recreated, real,
// on each shard, and on the coordinator replaced by a partitioned parent with one postgres_fdw
// foreign partition per shard. No data exists yet, so nothing has to move.

export interface MovePlan {
  readonly tables: Readonly<Partial<Record<string, PartitionedTableSpec>>>;
  readonly servers: readonly ShardServer[];
  readonly batchSize: number;
  readonly user: string;
  readonly password: string;
}

export async function moveTablesToShards(
  coordinator: pg.ClientBase,
  shardClients: readonly pg.ClientBase[],
  plan: MovePlan,
): Promise<void> {
  const entries = Object.entries(plan.tables).filter((e): e is [string, PartitionedTableSpec] => e[1] !== undefined);
  if (entries.length === 0) return;
  const shapes: TableShape[] = [];
  for (const [table] of entries) shapes.push(await readTableShape(coordinator, table));
  for (const [table, spec] of entries) {
    const shape = shapes.find((s) => s.table === table)!;
    if (!shape.columns.some((c) => c.name === spec.key)) {
      throw new Error(`tables.${table}.key: ${table} has no column ${spec.key} (it has ${shape.columns.map((c) => c.name).join(', ')})`);
    }
  }
  await Promise.all(shardClients.map((shard) => shard.query(shapes.map(shardTableDdl).join(';\n'))));

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
      const shape = shapes.find((s) => s.table === table)!;
      await coordinator.query(`DROP TABLE ${quoteIdent(table)}`);
      await coordinator.query(parentTableDdl(shape, spec));
      for (const ddl of foreignPartitionsDdl(table, spec, names)) await coordinator.query(ddl);
    }
    await coordinator.query('COMMIT');
  } catch (error) {
    await coordinator.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
