import { snapshotNode, TABLE_KEYS, type TableSnapshot } from '../final-state/table-snapshot-pg.ts';
import type { EcommerceTable } from '../../../harness/workload/ecommerce/schema-pg.ts';
import type { PgServerNode } from '../pg-server-node.ts';
import { withAdmin } from '../single-leader/replication-admin.ts';
import type { Spread } from '../regional/regional-results.ts';
import type { CopyState, PartitionedLayoutResults, ReferenceLayout, ShardReplicaSet, VerticalTableState } from '../../../harness/results/partitioned-layout-results.ts';
import { quoteIdent } from './partition-ddl.ts';
import { LOCAL_JOIN_TABLES, measureLocalJoin } from './reference-join.ts';
import type { VerticalLayout } from './vertical-ddl.ts';
import { errorMessage } from '../../../harness/output/errors.ts';

// Reads the layout's state once the run is over and quiesced, through each node's private
// socket: every reference copy fingerprinted against the coordinator's (rows + checksum, as the
// convergence check does), and each vertical group's rows on its node beside the view's.

export interface LayoutSources {
  readonly coordinator: PgServerNode;
  readonly shards: readonly PgServerNode[];
  readonly replicasOf: (shard: PgServerNode) => readonly PgServerNode[];
  readonly reference: readonly string[];
  /** Horizontally partitioned tables. */
  readonly partitioned: readonly string[];
  readonly vertical: readonly VerticalLayout[];
  readonly stalenessMs: Readonly<Record<string, Spread | null>>;
}

const READ_MS = 30_000;

function fingerprint(node: PgServerNode, tables: readonly string[]): Promise<Record<string, TableSnapshot>> {
  const keys = Object.fromEntries(tables.map((t) => [t, TABLE_KEYS[t as EcommerceTable] ?? ['1']]));
  return withAdmin(node, (admin) => snapshotNode(admin, keys), READ_MS);
}

/** Pure: each copy against the source's fingerprint of the same table. */
export function compareCopies(source: Readonly<Record<string, TableSnapshot>>, copies: Readonly<Record<string, Readonly<Record<string, TableSnapshot>>>>): CopyState[] {
  return Object.entries(copies).flatMap(([node, tables]) =>
    Object.entries(tables).map(([table, mine]) => {
      const theirs = source[table];
      return { node, table, rows: mine.rows, sourceRows: theirs?.rows ?? 0, current: theirs !== undefined && mine.rows === theirs.rows && mine.checksum === theirs.checksum };
    }),
  );
}

async function referenceLayout(sources: LayoutSources): Promise<ReferenceLayout> {
  const tables = sources.reference;
  const source = await fingerprint(sources.coordinator, tables);
  const holders = sources.shards.flatMap((shard) => [shard, ...sources.replicasOf(shard)]).filter((n) => n.state === 'running');
  const readings = await Promise.all(holders.map(async (node) => [node.name, await fingerprint(node, tables)] as const));
  const copies = compareCopies(source, Object.fromEntries(readings));
  const current = copies.filter((c) => c.current).length;
  const joinable = sources.partitioned.includes(LOCAL_JOIN_TABLES.partitioned) && tables.includes(LOCAL_JOIN_TABLES.reference);
  const running = sources.shards.every((s) => s.state === 'running');
  const localJoin = joinable && running ? await measureLocalJoin(sources.coordinator, sources.shards) : undefined;
  return {
    tables,
    coordinatorRows: Object.fromEntries(Object.entries(source).map(([table, s]) => [table, s.rows])),
    copies,
    currentCopies: current,
    staleCopies: copies.length - current,
    ...(localJoin ? { localJoin } : {}),
  };
}

async function count(node: PgServerNode, table: string): Promise<number> {
  const { rows } = await withAdmin(node, (admin) => admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(table)}`), READ_MS);
  return Number(rows[0]!.n);
}

async function verticalState(sources: LayoutSources, layout: VerticalLayout): Promise<VerticalTableState> {
  const node = (name: string) => sources.shards.find((s) => s.name === name)!;
  const viewRows = await count(sources.coordinator, layout.table);
  const groups = await Promise.all(
    layout.groups.map(async (g) => {
      const rows = await count(node(g.node), layout.table);
      return { node: g.node, columns: g.columns, rows, orphans: rows - viewRows };
    }),
  );
  return { table: layout.table, key: layout.key, groups, viewRows };
}

export async function layoutReport(sources: LayoutSources): Promise<PartitionedLayoutResults> {
  const shardReplicas: ShardReplicaSet[] = sources.shards
    .map((shard) => ({ shard: shard.name, replicas: sources.replicasOf(shard).map((r) => r.name) }))
    .filter((set) => set.replicas.length > 0);
  const errors: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      errors.push(`${what}: ${errorMessage(error)}`);
      return undefined;
    }
  };
  const reference = sources.reference.length > 0 ? await attempt('reference copies', () => referenceLayout(sources)) : undefined;
  const vertical: VerticalTableState[] = [];
  for (const layout of sources.vertical) {
    const state = await attempt(`vertical ${layout.table}`, () => verticalState(sources, layout));
    if (state) vertical.push(state);
  }
  return {
    shardReplicas,
    stalenessMs: sources.stalenessMs,
    ...(reference ? { reference } : {}),
    ...(sources.vertical.length > 0 ? { vertical } : {}),
    ...(errors.length > 0 ? { errors } : {}),
  };
}
