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
import { readRoutedTables, ShardRouter } from '../../../src/topologies/postgres/partitioned/distributed/shard-router.ts';
import type { PgPartitioned } from '../../../src/topologies/postgres/partitioned/pg-partitioned.ts';
import { testRunId } from '../../support/local-topology.ts';

// Distributed checkout against real servers: a coordinator and 3 shards, shards (and the
// coordinator) killed at the commit point of a checkout whose rows span several nodes. Plain
// postgres_fdw leaves half-written orders; two-phase commit leaves none once recovery has run,
// and says how many transactions were in doubt.

type Run = { results: RunResults; dir: string };
let reports: string;
const runs: Record<string, Run> = {};

async function run(file: string, label: string, overrides: string[]): Promise<void> {
  const { scenario } = await loadScenario(`scenarios/partitioning/${file}.yaml`, ['workload.warmup=500ms', ...overrides]);
  const outcome = await runScenario(scenario, { reportsRoot: reports, print: () => {} });
  runs[label] = { results: outcome.results, dir: outcome.reportDir };
}

const COORDINATOR_KILL = ['faults=[{kind: kill, target: coordinator, during: commit, at: 1s, duration: 1s}]', 'workload.duration=3s'];

beforeAll(async () => {
  reports = await mkdtemp(join(tmpdir(), 'faultline-distributed-'));
  await run('checkout-plain', 'plain', ['workload.duration=7s']);
  await run('checkout-2pc', '2pc', ['workload.duration=7s']);
  await run('checkout-plain', 'plain-coordinator', COORDINATOR_KILL);
  await run('checkout-2pc', '2pc-coordinator', COORDINATOR_KILL);
}, 240_000);

afterAll(async () => {
  if (reports && existsSync(reports)) await rm(reports, { recursive: true, force: true });
});

const check = (label: string, name: string) => runs[label]!.results.checks[name]!;

describe('distributed checkout, a shard killed at the commit point', () => {
  it('plain: postgres_fdw commits shard by shard, so orders are left with only some of their rows', () => {
    const { results } = runs.plain!;
    expect(results.run.status).toBe('completed');
    const atomicity = check('plain', 'atomicity');
    expect(atomicity.verdict).toBe('invalid');
    expect(atomicity.counts.violations).toBeGreaterThanOrEqual(1);
    const kills = results.distributedCommit!.commitPointKills;
    expect(kills.map((k) => k.target)).toEqual(['shard1', 'shard2', 'shard3']);
    // At least one kill landed after another shard had committed its part of the same order.
    expect(kills.some((k) => (k.committedBeforeKill ?? []).length > 0)).toBe(true);
    expect(results.distributedCommit).toMatchObject({ mode: 'plain', inDoubt: 0 });
    // What the client was told never lies: nothing acknowledged is missing.
    expect(check('plain', 'lost-writes').verdict).toBe('valid');
  });

  it('2pc: no half-written order after recovery, and the in-doubt transactions counted and resolved', async () => {
    const { results, dir } = runs['2pc']!;
    expect(results.run.status).toBe('completed');
    expect(check('2pc', 'atomicity').verdict).toBe('valid');
    expect(check('2pc', 'atomicity').counts.violations).toBe(0);
    expect(check('2pc', 'invariants').verdict).toBe('valid');
    expect(check('2pc', 'lost-writes').verdict).toBe('valid');
    const dc = results.distributedCommit!;
    expect(dc.mode).toBe('2pc');
    expect(dc.commitPointKills.map((k) => k.target)).toEqual(['shard1', 'shard2', 'shard3']);
    // Each killed shard held its prepared part through the crash: the decision was logged, so it was committed.
    expect(dc.inDoubt).toBeGreaterThanOrEqual(3);
    expect(dc.committed).toBeGreaterThanOrEqual(3);
    expect(dc.committed + dc.rolledBack).toBe(dc.inDoubt);
    expect(dc.unresolved).toBe(0);
    expect(dc.transactions!.committed).toBeGreaterThan(0);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/## Distributed commit[\s\S]*Mode \*\*2pc\*\*/);
  });
});

describe('distributed checkout, the coordinator killed at the commit point', () => {
  it('plain: the shards commit, the coordinator\'s own rows (payment, shipment, stock) are lost', () => {
    const { results } = runs['plain-coordinator']!;
    expect(results.distributedCommit!.commitPointKills[0]).toMatchObject({ target: 'coordinator' });
    expect(check('plain-coordinator', 'atomicity').verdict).toBe('invalid');
  });

  it('2pc: nothing was decided, so recovery rolls back every prepared part (presumed abort)', () => {
    const { results } = runs['2pc-coordinator']!;
    const dc = results.distributedCommit!;
    expect(dc.commitPointKills[0]).toMatchObject({ target: 'coordinator' });
    expect(dc.inDoubt).toBeGreaterThanOrEqual(2);
    expect(dc.rolledBack).toBeGreaterThanOrEqual(2);
    expect(dc.unresolved).toBe(0);
    expect(check('2pc-coordinator', 'atomicity').verdict).toBe('valid');
  });
});

describe('routing rows to shards', () => {
  it("gives the node the coordinator's own INSERT routing picks, for hash and list partitions", async () => {
    const scenario = Scenario.parse({
      name: 'routing',
      description: 'd',
      topology: {
        kind: 'pg-partitioned',
        shards: 3,
        tables: { order_items: { strategy: 'hash', key: 'product_id' }, orders: { strategy: 'list', key: 'region', lists: [['NA'], ['EMEA'], ['APJ', 'LATAM']] } },
      },
      checks: ['atomicity'],
    });
    const sandbox = await RunSandbox.create(testRunId('routing'));
    const provisioned = await createTopology(scenario, sandbox);
    const topology = provisioned.topology as PgPartitioned;
    let client: pg.Client | undefined;
    try {
      await topology.start();
      client = new pg.Client(topology.primary().adminConfig());
      client.on('error', () => {});
      await client.connect();
      await createSchemaPg(client);
      await topology.afterSchema();
      const products = Array.from({ length: 30 }, (_, i) => i + 1);
      await client.query(
        'INSERT INTO order_items SELECT 1, p, p, 1, 1, 1 FROM unnest($1::bigint[]) AS p',
        [products],
      );
      const regions = ['NA', 'EMEA', 'APJ', 'LATAM'];
      await client.query("INSERT INTO orders SELECT i, 1, r, 'placed', 1, now(), false FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i)", [regions]);
      const actual = async (sql: string) => (await client!.query<{ node: string }>(sql)).rows.map((r) => r.node);
      const router = new ShardRouter(await readRoutedTables(client, ['order_items', 'orders', 'payments']));
      expect(router.isPartitioned('payments')).toBe(false);
      const routed = await router.route(client, new Map<string, unknown[]>([['order_items', products], ['orders', regions]]));
      expect(routed.get('order_items')).toEqual(await actual("SELECT split_part(tableoid::regclass::text, '_', 3) AS node FROM order_items ORDER BY product_id"));
      expect(routed.get('orders')).toEqual(await actual("SELECT split_part(tableoid::regclass::text, '_', 2) AS node FROM orders ORDER BY id"));
      expect(new Set(routed.get('order_items')).size).toBe(3);
      expect(routed.get('orders')).toEqual(['shard1', 'shard2', 'shard3', 'shard3']);
    } finally {
      await client?.end().catch(() => {});
      await topology[Symbol.asyncDispose]();
      await provisioned.provider[Symbol.asyncDispose]();
      await sandbox[Symbol.asyncDispose]();
    }
  }, 60_000);
});
