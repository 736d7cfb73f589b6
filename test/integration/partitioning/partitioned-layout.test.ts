import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { runScenario } from '../../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { Scenario } from '../../../src/harness/scenario/schema.ts';
import { createSchemaPg } from '../../../src/harness/workload/ecommerce/schema-pg.ts';
import { createTopology } from '../../../src/topologies/postgres/create-pg-topology.ts';
import type { PgServerNode } from '../../../src/topologies/postgres/pg-server-node.ts';
import type { PgPartitioned } from '../../../src/topologies/postgres/partitioned/pg-partitioned.ts';
import { testRunId } from '../../support/local-topology.ts';

// Shard replicas, reference tables and a vertical split against real servers: a bring-up whose
// rows are read back on every node, then the two scenarios run as a user would, every figure
// read from results.json.

async function query<T extends pg.QueryResultRow>(node: PgServerNode, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client(node.adminConfig());
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

const columnsOf = async (node: PgServerNode, table: string) =>
  (await query<{ c: string }>(node, "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", [table])).map((r) => r.c);

describe('a coordinator, 2 shards with a replica each, orders hashed and shipments split by columns', () => {
  it('writes through the coordinator reach each shard and its replica, and each node holds only its columns', async () => {
    const scenario = Scenario.parse({
      name: 'layout',
      description: 'd',
      topology: {
        kind: 'pg-partitioned',
        shards: 2,
        replicasPerShard: 1,
        tables: { orders: { strategy: 'hash', key: 'id' } },
        vertical: { shipments: { shard1: ['carrier', 'status', 'created_at'], shard2: ['address'] } },
      },
      checks: ['invariants'],
    });
    const sandbox = await RunSandbox.create(testRunId('layout'));
    const provisioned = await createTopology(scenario, sandbox);
    const topology = provisioned.topology as PgPartitioned;
    try {
      await topology.start();
      expect(topology.describe().map((n) => `${n.name}:${n.role}`)).toEqual(['coordinator:primary', 'shard1:primary', 'shard2:primary', 'shard1-r1:replica', 'shard2-r1:replica']);
      expect(topology.shards().map((n) => n.name)).toEqual(['shard1', 'shard2']);
      const coordinator = topology.primary();
      const client = new pg.Client(coordinator.adminConfig());
      client.on('error', () => {});
      await client.connect();
      try {
        await createSchemaPg(client);
        await topology.afterSchema();
        await client.query("INSERT INTO orders SELECT i, i, 'NA', 'placed', 1, now(), false FROM generate_series(1, 200) AS i");
        await client.query("INSERT INTO shipments (order_id, carrier, address, status) SELECT i, 'UPS', 'street ' || i, 'pending' FROM generate_series(1, 50) AS i");
        await client.query("UPDATE shipments SET status = 'shipped' WHERE order_id <= 10");
        await client.query("UPDATE shipments SET address = 'moved' WHERE order_id = 11");
        await client.query('DELETE FROM shipments WHERE order_id = 50');
        const view = await client.query<{ shipped: string; moved: string; n: string }>(
          "SELECT count(*) FILTER (WHERE status = 'shipped')::text AS shipped, count(*) FILTER (WHERE address = 'moved')::text AS moved, count(*)::text AS n FROM shipments",
        );
        expect(view.rows[0]).toEqual({ shipped: '10', moved: '1', n: '49' });
      } finally {
        await client.end();
      }
      expect(await topology.quiesce(10_000)).toBe(true);
      const [shard1, shard2] = topology.shards();
      const r1 = topology.node('shard1-r1');
      const r2 = topology.node('shard2-r1');
      // Orders: hashed over both shards, every shard's rows on its own replica.
      const orders = async (node: PgServerNode) => Number((await query<{ n: string }>(node, 'SELECT count(*)::text AS n FROM orders'))[0]!.n);
      expect((await orders(shard1!)) + (await orders(shard2!))).toBe(200);
      expect(await orders(shard1!)).toBeGreaterThan(0);
      expect(await orders(r1)).toBe(await orders(shard1!));
      expect(await orders(r2)).toBe(await orders(shard2!));
      // Shipments: a view on the coordinator, each shard (and its replica) with its columns only.
      expect(await columnsOf(coordinator, 'shipments')).toEqual(['order_id', 'carrier', 'address', 'status', 'created_at']);
      expect((await query<{ kind: string }>(coordinator, "SELECT relkind AS kind FROM pg_class WHERE relname = 'shipments'"))[0]!.kind).toBe('v');
      for (const node of [shard1!, r1]) expect(await columnsOf(node, 'shipments')).toEqual(['order_id', 'carrier', 'status', 'created_at']);
      for (const node of [shard2!, r2]) expect(await columnsOf(node, 'shipments')).toEqual(['order_id', 'address']);
      expect(await query(r1, "SELECT order_id FROM shipments WHERE status = 'shipped' ORDER BY order_id LIMIT 2")).toEqual([{ order_id: '1' }, { order_id: '2' }]);
      expect(await query(r2, 'SELECT count(*)::int AS n FROM shipments')).toEqual([{ n: 49 }]);
      // A shard replica is a fault target like any node, and comes back as a standby.
      expect(topology.nodesNow()).toContainEqual({ name: 'shard2-r1', role: 'replica' });
      await r2.kill();
      await topology.recover('shard2-r1');
      expect(await query(r2, 'SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: true }]);
      expect(await topology.quiesce(10_000)).toBe(true);
    } finally {
      await topology[Symbol.asyncDispose]();
      await provisioned.provider[Symbol.asyncDispose]();
      await sandbox[Symbol.asyncDispose]();
    }
  }, 90_000);
});

type Run = { results: RunResults; dir: string };
let reports: string;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-layout-'));
  for (const [name, overrides] of [
    ['reference-replicas', ['workload.duration=4s', 'workload.warmup=500ms', 'faults=[{kind: kill, target: shard2-r1, at: 1s, duration: 1s}]']],
    ['vertical-shipments', ['workload.duration=4s', 'workload.warmup=500ms']],
  ] as const) {
    const { scenario } = await loadScenario(`scenarios/partitioning/${name}.yaml`, [...overrides]);
    const outcome = await runScenario(scenario, { reportsRoot: reports, print: () => {} });
    runs[name] = { results: outcome.results, dir: outcome.reportDir };
  }
}, 240_000);

afterAll(async () => {
  if (reports && existsSync(reports)) await rm(reports, { recursive: true, force: true });
});

describe('reference tables and shard replicas, run', () => {
  it("leaves every shard's (and shard replica's) copy equal to the coordinator's", () => {
    const { results } = runs['reference-replicas']!;
    expect(results.run.error).toBeUndefined();
    expect(results.run.status).toBe('completed');
    const reference = results.partitionedLayout!.reference!;
    expect(reference.tables).toEqual(['categories', 'products', 'warehouses', 'ratings']);
    expect(reference.copies).toHaveLength(4 * 6);
    expect(reference.staleCopies).toBe(0);
    expect(reference.copies.every((c) => c.current && c.rows === c.sourceRows)).toBe(true);
    // ratings took the run's ON CONFLICT upserts on the coordinator, and every copy followed.
    expect(reference.coordinatorRows.ratings).toBeGreaterThan(results.dataset!.rows.ratings!);
    expect(results.operations['rate-product']!.errors).toEqual({});
  });

  it('counts shard primaries only in placement, and samples each copy against its own source', () => {
    const { results } = runs['reference-replicas']!;
    expect(results.shards!.map((s) => s.name)).toEqual(['shard1', 'shard2', 'shard3']);
    expect(results.partitionedLayout!.shardReplicas).toEqual([
      { shard: 'shard1', replicas: ['shard1-r1'] },
      { shard: 'shard2', replicas: ['shard2-r1'] },
      { shard: 'shard3', replicas: ['shard3-r1'] },
    ]);
    const lag = results.checks['replication-lag']!;
    expect(lag.verdict).toBe('valid');
    for (const copy of ['coordinator->shard1', 'coordinator->shard3', 'shard1-r1', 'shard2-r1']) expect(lag.counts[`${copy}.samples`], copy).toBeGreaterThan(0);
    // Killed for a second: shard2's replica could not be read meanwhile (how far behind it came
    // back depends on how fast it reconnects: 0 to about 2 s here).
    const staleness = results.partitionedLayout!.stalenessMs;
    expect(staleness['shard2-r1']!.samples).toBeLessThan(staleness['shard1-r1']!.samples - 5);
    expect(results.faults[0]).toMatchObject({ kind: 'kill', targets: ['shard2-r1'] });
    for (const name of ['lost-writes', 'invariants']) expect(results.checks[name]!.verdict, name).toBe('valid');
  });

  it('converges copy by copy, and answers a join with products on the shards as on the coordinator', () => {
    const { results } = runs['reference-replicas']!;
    const convergence = results.checks.convergence!;
    expect(convergence.verdict).toBe('valid');
    // The coordinator's reference tables on 3 shards, and each of 3 shards on its replica.
    expect(convergence.counts).toMatchObject({ comparisons: 4, copies: 6, differences: 0 });
    const join = results.partitionedLayout!.reference!.localJoin!;
    expect(join.sameAnswer).toBe(true);
    expect(join.categories).toBe(12);
    expect(join.coordinatorRowsMoved).toBeGreaterThan(1000);
    expect(join.shardLocalRowsMoved).toBeLessThanOrEqual(3 * 12);
  });
});

describe('vertical partitioning of shipments, run', () => {
  it('completes with valid invariants and atomicity; checkout touches both column groups', async () => {
    const { results, dir } = runs['vertical-shipments']!;
    expect(results.run.status).toBe('completed');
    for (const name of ['atomicity', 'lost-writes', 'invariants']) expect(results.checks[name]!.verdict, name).toBe('valid');
    expect(results.operations.checkout!.fanout).toBe(2);
    expect(results.operations['view-product']!.fanout).toBe(0);
    const [shipments] = results.partitionedLayout!.vertical!;
    expect(shipments!.groups.map((g) => [g.node, g.columns])).toEqual([
      ['shard1', ['order_id', 'carrier', 'status', 'created_at']],
      ['shard2', ['order_id', 'address']],
    ]);
    const okCheckouts = results.operations.checkout!.ok;
    expect(shipments!.groups.every((g) => g.rows === shipments!.viewRows && g.orphans === 0)).toBe(true);
    expect(shipments!.viewRows).toBeGreaterThanOrEqual(results.dataset!.rows.shipments! + okCheckouts);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/## Partitioned layout[\s\S]*shipments is split by columns/);
  });
});
