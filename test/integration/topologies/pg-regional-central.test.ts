import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateCentralCompleteness } from '../../../src/harness/checker/central-completeness-checker.ts';
import { copiesOn, extraOn } from '../../../src/topologies/postgres/final-state/order-rows-pg.ts';
import type { HistoryEvent, LagEvent } from '../../../src/harness/history/history-types.ts';
import { HEARTBEAT_DDL } from '../../../src/harness/metrics/lag-sampler.ts';
import { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { Scenario, type ScenarioInput } from '../../../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { customerWarehouseId } from '../../../src/harness/workload/ecommerce/seeded-facts.ts';
import { CLEAN } from '../../../src/harness/fault/link-effects.ts';
import { createTopology } from '../../../src/topologies/postgres/create-pg-topology.ts';
import { PgRegionalCentral } from '../../../src/topologies/postgres/regional/pg-regional-central.ts';
import type { DbNode } from '../../../src/topologies/topology.ts';
import { testRunId } from '../../support/local-topology.ts';

// Regional primaries and central as real servers: each region keeps only what it owns, central
// receives every region's orders by logical replication through the central->region link, a cut
// of that link holds one region's orders back until it heals, and after heal (and after central
// crashes) every acknowledged order is on central exactly once.

const clients: pg.Client[] = [];
const disposers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function start(topology: Partial<ScenarioInput['topology']>) {
  const scenario = Scenario.parse({
    name: 'integration-regional',
    description: 'regional topology for an integration test',
    seed: 4,
    regions: { seattle: { customers: ['NA', 'LATAM'] }, boston: { customers: ['EMEA', 'APJ'] }, central: { clients: 0 } },
    topology: { kind: 'pg-regional-central', regions: ['seattle', 'boston'], ...topology },
    workload: { dataset: { customers: 300, products: 40, initialStock: 100_000 } },
    // Never fires (this test runs no nemesis): it only makes every path a link of the proxy, so
    // the test can cut one itself.
    faults: [{ kind: 'partition', between: ['seattle', 'central'], at: '10s' }],
    checks: ['central-completeness'],
  });
  const sandbox = await RunSandbox.create(testRunId('regional'));
  const provisioned = await createTopology(scenario, sandbox).catch(async (error: unknown) => {
    await sandbox[Symbol.asyncDispose]();
    throw error;
  });
  disposers.push(async () => {
    await provisioned.topology[Symbol.asyncDispose]();
    await provisioned.provider[Symbol.asyncDispose]();
    await sandbox[Symbol.asyncDispose]();
  });
  const { topology: regional } = provisioned;
  if (!(regional instanceof PgRegionalCentral)) throw new Error(`unexpected topology ${regional.kind}`);
  await regional.start();
  const workload = createEcommerceWorkload(scenario.workload, scenario.seed);
  for (const node of regional.datasetNodes()) {
    const client = await connect(node);
    await workload.createSchema(client);
    await client.query(HEARTBEAT_DDL);
    await workload.loadDataset(client);
  }
  await regional.afterLoad();
  expect(await regional.quiesce(30_000)).toBe(true);
  return { topology: regional, workload, scenario };
}

async function connect(node: DbNode): Promise<pg.Client> {
  const client = new pg.Client({ ...node.endpoint(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

const column = async (client: pg.Client, sql: string): Promise<string[]> => (await client.query<{ v: string }>(sql)).rows.map((row) => String(row.v));

describe('pg-regional-central', () => {
  it('each region keeps what it owns; central gets every region\'s orders exactly once, through a cut and a crash', async () => {
    const { topology, workload, scenario } = await start({ replicasPerRegion: 1, central: { region: 'central' } });
    expect(topology.describe().map((n) => [n.name, n.role, n.region])).toEqual([
      ['seattle', 'primary', 'seattle'],
      ['seattle-replica1', 'replica', 'seattle'],
      ['boston', 'primary', 'boston'],
      ['boston-replica1', 'replica', 'boston'],
      ['central', 'primary', 'central'],
    ]);
    expect(topology.writeNodesFor('boston').map((n) => n.name)).toEqual(['boston']);
    expect(topology.readNodesFor('boston').map((n) => n.name)).toEqual(['boston-replica1']);

    const [seattle, boston, central, seattleReplica] = await Promise.all(['seattle', 'boston', 'central', 'seattle-replica1'].map((name) => connect(topology.node(name))));
    const regionsOf = (client: pg.Client) => column(client, 'SELECT DISTINCT region AS v FROM customers ORDER BY 1');
    expect(await regionsOf(seattle!)).toEqual(['LATAM', 'NA']);
    expect(await regionsOf(seattleReplica!)).toEqual(['LATAM', 'NA']);
    expect(await regionsOf(boston!)).toEqual(['APJ', 'EMEA']);
    expect(await regionsOf(central!)).toEqual(['APJ', 'EMEA', 'LATAM', 'NA']);
    // Orders, stock and the catalogue: owned rows only; reference data everywhere.
    expect(await column(seattle!, 'SELECT DISTINCT o.region AS v FROM orders o ORDER BY 1')).toEqual(['LATAM', 'NA']);
    expect(await column(boston!, 'SELECT DISTINCT w.region AS v FROM inventory i JOIN warehouses w ON w.id = i.warehouse_id ORDER BY 1')).toEqual(['APJ', 'EMEA']);
    expect(await column(boston!, 'SELECT count(*) AS v FROM products')).toEqual(['40']);

    // Checkouts as the driver runs them, recorded as a history the checker reads.
    const history: HistoryEvent[] = [];
    let nextOrder = 100_000;
    const checkout = async (client: pg.Client, node: string, n: number) => {
      const customers = await column(client, `SELECT id AS v FROM customers ORDER BY id LIMIT ${n}`);
      for (const id of customers.map(Number)) {
        const orderId = nextOrder++;
        const args = { orderId, customerId: id, warehouseId: customerWarehouseId(scenario.workload.dataset, scenario.seed, id), items: [{ productId: 1, quantity: 1 }, { productId: 2, quantity: 2 }], paymentMethod: 'card', carrier: 'UPS' };
        const time = performance.now();
        history.push({ type: 'invoke', id: orderId, f: 'checkout', worker: 0, node, time, value: args });
        const result = await workload.execute({ f: 'checkout', target: 'primary', args }, client);
        expect(result.type).toBe('ok');
        history.push({ type: 'ok', id: orderId, f: 'checkout', worker: 0, node, time: performance.now(), latency: 1, value: result.value });
      }
    };
    const judge = () =>
      evaluateCentralCompleteness(history, {
        central: copiesOn(central!),
        regional: (node) => ({ seattle: copiesOn(seattle!), boston: copiesOn(boston!) })[node],
        extraOnCentral: extraOn(central!),
      });

    await checkout(seattle!, 'seattle', 5);
    await checkout(boston!, 'boston', 5);
    expect(await topology.quiesce(30_000)).toBe(true);
    expect((await judge()).counts).toMatchObject({ acknowledged: 10, onCentral: 10 });

    // Cut central's link to seattle: seattle's orders wait, boston's keep arriving, freshness shows it.
    const lag: LagEvent[] = [];
    const sampler = topology.lagSampler((event) => lag.push(event), () => performance.now());
    const runStart = performance.now();
    sampler.start();
    const blackhole = { ...CLEAN, mode: 'blackhole' as const };
    await topology.linkControl.setLinkState('central->seattle', { upstream: blackhole, downstream: blackhole });
    await checkout(seattle!, 'seattle', 5);
    await checkout(boston!, 'boston', 5);
    await sleep(1_500);
    const during = await judge();
    expect(during.verdict).toBe('invalid');
    expect(during.counts).toMatchObject({ acknowledged: 20, onCentral: 15, missingCentral: 5 });
    expect(await topology.quiesce(1_000)).toBe(false);
    await topology.linkControl.setLinkState('central->seattle', { upstream: CLEAN, downstream: CLEAN });
    expect(await topology.quiesce(30_000)).toBe(true);
    await sleep(300);
    await sampler.stop();
    const worst = (node: string) => Math.max(...lag.filter((e) => e.node === node).map((e) => e.stalenessMs));
    expect(worst('seattle->central')).toBeGreaterThan(1_000);
    expect(worst('boston->central')).toBeLessThan(1_000);
    expect(lag.some((e) => e.node === 'seattle-replica1')).toBe(true);

    // Central crashes and comes back: replication resumes after its last applied transaction.
    await topology.node('central').kill();
    await checkout(seattle!, 'seattle', 5);
    await topology.recover('central');
    expect(await topology.quiesce(30_000)).toBe(true);
    const central2 = await connect(topology.node('central'));
    const after = await evaluateCentralCompleteness(history, {
      central: copiesOn(central2),
      regional: (node) => ({ seattle: copiesOn(seattle!), boston: copiesOn(boston!) })[node],
      extraOnCentral: extraOn(central2),
    });
    expect(after.verdict).toBe('valid');
    expect(after.counts).toMatchObject({ acknowledged: 25, onCentral: 25, duplicated: 0, extra: 0 });

    const report = await topology.regionalReport(runStart);
    expect(report.freshnessMs.seattle!.max).toBeGreaterThan(1_000);
    expect(report.freshnessMs.boston!.samples).toBeGreaterThan(0);
    expect(report.freshnessSeries.some((p) => p.region === 'seattle' && p.maxMs > 1_000)).toBe(true);
    expect(Object.keys(report.replicaStalenessMs)).toEqual(['seattle-replica1', 'boston-replica1']);
    expect(report.regions.map((r) => [r.region, r.customerRegions])).toEqual([['seattle', ['NA', 'LATAM']], ['boston', ['EMEA', 'APJ']]]);
    const sales = report.analytics!.salesByRegion;
    expect(sales.map((s) => [s.customerRegion, s.region])).toEqual([['APJ', 'boston'], ['EMEA', 'boston'], ['LATAM', 'seattle'], ['NA', 'seattle']]);
    expect(sales.reduce((sum, s) => sum + s.runOrders, 0)).toBe(25);
    expect(report.analytics!.topProducts[0]).toMatchObject({ productId: 2 });
  });

  it('without central it is geo-partitioning: regions alone, nothing published', async () => {
    const { topology } = await start({ central: false });
    expect(topology.nodes.map((n) => n.name)).toEqual(['seattle', 'boston']);
    expect(topology.central()).toBeUndefined();
    expect(topology.datasetNodes().map((n) => n.name)).toEqual(['seattle', 'boston']);
    const seattle = await connect(topology.node('seattle'));
    expect(await column(seattle, 'SELECT count(*) AS v FROM pg_publication')).toEqual(['0']);
    expect(await column(seattle, "SELECT count(*) AS v FROM customers WHERE region NOT IN ('NA', 'LATAM')")).toEqual(['0']);
    expect(topology.writeNodesFor('seattle').map((n) => n.name)).toEqual(['seattle']);
    expect(topology.readNodesFor('boston').map((n) => n.name)).toEqual(['boston']);
    const report = await topology.regionalReport(performance.now());
    expect(report).toMatchObject({ central: null, publishedTables: [], freshnessMs: {} });
    expect(report.analytics).toBeUndefined();
  });
});
