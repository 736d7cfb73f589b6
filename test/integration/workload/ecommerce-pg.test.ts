import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invariantsChecker } from '../../../src/harness/checker/invariants-checker.ts';
import { pgNodeState } from '../../../src/topologies/postgres/final-state/pg-node-state.ts';
import { OPERATION_NAMES, Workload as WorkloadSchema, type OperationName } from '../../../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { DEFAULT_WEIGHTS } from '../../../src/harness/workload/ecommerce/operation-mix.ts';
import type { OpResult, PlannedOp, Workload } from '../../../src/harness/workload/workload-types.ts';
import { startScratchPostgres } from '../../support/scratch-postgres.ts';

type Server = Awaited<ReturnType<typeof startScratchPostgres>>;

let server: Server;
const clients: pg.Client[] = [];

async function connect(database = 'faultline'): Promise<pg.Client> {
  const client = new pg.Client({ ...server.endpoint, database });
  await client.connect();
  clients.push(client);
  return client;
}

async function freshDatabase(name: string): Promise<pg.Client> {
  const admin = await connect();
  await admin.query(`CREATE DATABASE ${name}`);
  return connect(name);
}

const check = (client: pg.Client) => invariantsChecker.check({ historyPath: '/dev/null', finalState: pgNodeState(client) });

beforeAll(async () => {
  server = await startScratchPostgres();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await server?.[Symbol.asyncDispose]();
});

describe('e-commerce workload on PostgreSQL', () => {
  // Every operation, browse-price included (it is not in the default mix).
  const spec = WorkloadSchema.parse({
    dataset: { customers: 300, products: 60, categories: 5, regions: ['NA', 'EMEA'] },
    operations: Object.fromEntries(OPERATION_NAMES.map((f) => [f, { weight: DEFAULT_WEIGHTS[f] || 5 }])),
  });
  let workload: Workload;
  let client: pg.Client;

  beforeAll(async () => {
    workload = createEcommerceWorkload(spec, 7);
    client = await freshDatabase('ops');
    await workload.createSchema(client);
  });

  it('loads the dataset and reports what it loaded', async () => {
    const summary = await workload.loadDataset(client);
    expect(summary.rows).toMatchObject({ customers: 300, products: 60, categories: 5, warehouses: 2, inventory: 120, orders: 300 });
    for (const [table, rows] of Object.entries(summary.rows)) {
      const { rows: counted } = await client.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`);
      expect(counted[0]!.n, table).toBe(rows);
    }
    expect(summary.loadMs).toBeGreaterThan(0);
    expect((await check(client)).verdict).toBe('valid');
  });

  it('runs every operation successfully', async () => {
    const generator = workload.generator(0, 1);
    const results = new Map<OperationName, { op: PlannedOp; result: OpResult }[]>();
    for (let i = 0; i < 2000; i++) {
      const op = generator.next();
      const result = await workload.execute(op, client);
      results.set(op.f, [...(results.get(op.f) ?? []), { op, result }]);
    }
    for (const f of OPERATION_NAMES) {
      const runs = results.get(f) ?? [];
      expect(runs.length, f).toBeGreaterThan(0);
      for (const { result } of runs) expect(result, f).toMatchObject({ type: 'ok' });
    }
    const first = (f: OperationName) => results.get(f)![0]!.result as { value: Record<string, unknown> };
    expect(first('view-product').value).toEqual({ found: true });
    expect(first('recommendations').value.productIds).toHaveLength(2);
    // The dataset leaves abandoned carts older than any expiry, so the first sweep has work.
    expect(first('expire-carts').value.deleted).toBeGreaterThan(0);
    expect((await check(client)).verdict).toBe('valid');
  });

  it('gives the same results over the simple protocol as over prepared statements, operation for operation', async () => {
    // Two fresh copies of the shop, the same seeded sequence: only the protocol differs.
    const results: Record<'prepared' | 'simple', OpResult[]> = { prepared: [], simple: [] };
    for (const protocol of ['prepared', 'simple'] as const) {
      const protocolSpec = WorkloadSchema.parse({
        dataset: { customers: 300, products: 60, categories: 5, regions: ['NA', 'EMEA'] },
        operations: Object.fromEntries(OPERATION_NAMES.map((f) => [f, { weight: DEFAULT_WEIGHTS[f] || 5, protocol }])),
      });
      const shop = createEcommerceWorkload(protocolSpec, 7);
      const db = await freshDatabase(`ops_${protocol}`);
      await shop.createSchema(db);
      await shop.loadDataset(db);
      const generator = shop.generator(0, 1);
      for (let i = 0; i < 600; i++) results[protocol].push(await shop.execute(generator.next(), db));
    }
    expect(results.simple.filter((r) => r.type !== 'ok')).toEqual([]);
    expect(results.simple).toEqual(results.prepared);
  });

  it("shows a checkout in the customer's order history", async () => {
    const op = { f: 'checkout', target: 'primary', args: { orderId: 900_001, customerId: 5, warehouseId: 1, items: [{ productId: 3, quantity: 1 }], paymentMethod: 'card', carrier: 'DHL' } } as const;
    expect(await workload.execute(op, client)).toMatchObject({ type: 'ok', value: { orderId: 900_001 } });
    const history = await workload.execute({ f: 'order-history', target: 'primary', args: { customerId: 5 } }, client);
    expect(history).toMatchObject({ type: 'ok', value: { customerId: 5 } });
    expect((history as { value: { orderIds: number[] } }).value.orderIds[0]).toBe(900_001);
  });

  it('fails a checkout that would take more than the stock, and changes nothing', async () => {
    // Down to one unit, moving initial_on_hand by as much so that stock stays conserved.
    await client.query('UPDATE inventory SET on_hand = 1, initial_on_hand = initial_on_hand - (on_hand - 1) WHERE product_id = 4 AND warehouse_id = 2');
    const before = await client.query('SELECT on_hand FROM inventory WHERE product_id = 4 AND warehouse_id = 2');
    const op = { f: 'checkout', target: 'primary', args: { orderId: 900_002, customerId: 6, warehouseId: 2, items: [{ productId: 2, quantity: 1 }, { productId: 4, quantity: 2 }], paymentMethod: 'card', carrier: 'UPS' } } as const;
    expect(await workload.execute(op, client)).toMatchObject({ type: 'fail', error: 'out-of-stock' });
    expect((await client.query('SELECT on_hand FROM inventory WHERE product_id = 4 AND warehouse_id = 2')).rows).toEqual(before.rows);
    expect((await client.query('SELECT 1 FROM orders WHERE id = 900002')).rowCount).toBe(0);
    // The rollback left the session outside any transaction: an autocommit write is visible at once.
    await workload.execute({ f: 'restock', target: 'primary', args: { productId: 4, warehouseId: 2, quantity: 10 } }, client);
    const observer = await connect('ops');
    expect((await observer.query('SELECT on_hand FROM inventory WHERE product_id = 4 AND warehouse_id = 2')).rows[0].on_hand).toBe(11);
    expect((await check(client)).verdict).toBe('valid');
  });

  it('fails a checkout that reuses an order id, and rolls its stock back', async () => {
    const op = { f: 'checkout', target: 'primary', args: { orderId: 900_001, customerId: 7, warehouseId: 1, items: [{ productId: 9, quantity: 1 }], paymentMethod: 'card', carrier: 'DHL' } } as const;
    expect(await workload.execute(op, client)).toMatchObject({ type: 'fail', error: 'unique-violation' });
    expect((await check(client)).verdict).toBe('valid');
  });

  it('classifies real server errors: read-only and statement timeout', async () => {
    const readOnly = await connect('ops');
    await readOnly.query('SET default_transaction_read_only = on');
    const restock = { f: 'restock', target: 'primary', args: { productId: 1, warehouseId: 1, quantity: 10 } } as const;
    expect(await workload.execute(restock, readOnly)).toEqual({ type: 'fail', error: 'read-only', value: restock.args });
    const checkout = { f: 'checkout', target: 'primary', args: { orderId: 900_003, customerId: 8, warehouseId: 1, items: [{ productId: 1, quantity: 1 }], paymentMethod: 'card', carrier: 'DHL' } } as const;
    expect(await workload.execute(checkout, readOnly)).toMatchObject({ type: 'fail', error: 'read-only' });

    const slow = await connect('ops');
    await slow.query('SET statement_timeout = 50');
    const locker = await connect('ops');
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE inventory IN EXCLUSIVE MODE');
    expect(await workload.execute(restock, slow)).toMatchObject({ type: 'fail', error: 'timeout' });
    expect(await workload.execute(checkout, slow)).toMatchObject({ type: 'fail', error: 'timeout' });
    await locker.query('ROLLBACK');
    // With the lock gone the same checkout succeeds. The 50 ms timeout goes first: a checkout on a
    // busy 2-core machine can take longer than that on its own, which is not what this test is about.
    await slow.query('RESET statement_timeout');
    expect(await workload.execute(checkout, slow)).toMatchObject({ type: 'ok' });
  });

  it('makes a write whose connection dies mid-statement info in autocommit, fail inside a transaction', async () => {
    const locker = await connect('ops');
    const killer = await connect('ops');
    const blockedRun = async (op: PlannedOp): Promise<OpResult> => {
      const victim = await connect('ops');
      const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      victim.on('error', () => undefined);
      const pending = workload.execute(op, victim);
      // Wait until the statement is really stuck on the lock, then kill its backend.
      for (let i = 0; i < 200; i++) {
        const { rows } = await killer.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", [pid]);
        if (rows[0]?.wait_event_type === 'Lock') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await killer.query('SELECT pg_terminate_backend($1)', [pid]);
      return pending;
    };
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE inventory IN EXCLUSIVE MODE');
    const restock = { f: 'restock', target: 'primary', args: { productId: 1, warehouseId: 1, quantity: 10 } } as const;
    expect(await blockedRun(restock)).toMatchObject({ type: 'info', error: 'connection' });
    const checkout = { f: 'checkout', target: 'primary', args: { orderId: 900_004, customerId: 8, warehouseId: 1, items: [{ productId: 1, quantity: 1 }], paymentMethod: 'card', carrier: 'DHL' } } as const;
    expect(await blockedRun(checkout)).toMatchObject({ type: 'fail', error: 'connection' });
    await locker.query('ROLLBACK');
    expect((await check(client)).verdict).toBe('valid');
  });
});

describe('checkout under contention', () => {
  it('never oversells when many workers race for a few units', async () => {
    const spec = WorkloadSchema.parse({
      dataset: { customers: 50, products: 3, categories: 1, regions: ['NA'], initialStock: 20, ordersPerCustomer: 0 },
      operations: { checkout: { weight: 1 } },
    });
    const workload = createEcommerceWorkload(spec, 3);
    const setup = await freshDatabase('race');
    await workload.createSchema(setup);
    await workload.loadDataset(setup);

    const workers = 12;
    const perWorker = 25;
    const outcomes = await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        const client = await connect('race');
        const generator = workload.generator(worker, workers);
        const results: { op: PlannedOp; result: OpResult }[] = [];
        for (let i = 0; i < perWorker; i++) {
          const op = generator.next();
          results.push({ op, result: await workload.execute(op, client) });
        }
        return results;
      }),
    );
    const all = outcomes.flat();
    const ok = all.filter(({ result }) => result.type === 'ok');
    const outOfStock = all.filter(({ result }) => result.type === 'fail' && result.error === 'out-of-stock');
    expect(ok.length + outOfStock.length).toBe(all.length);
    expect(outOfStock.length).toBeGreaterThan(0);

    const unitsSold = ok
      .flatMap(({ op }) => (op.args as { items: { quantity: number }[] }).items)
      .reduce((sum, item) => sum + item.quantity, 0);
    expect(unitsSold).toBeLessThanOrEqual(3 * 20);
    const { rows } = await setup.query<{ on_hand: number }>('SELECT on_hand FROM inventory');
    expect(rows.every((row) => row.on_hand >= 0)).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.on_hand, 0)).toBe(3 * 20 - unitsSold);

    const verdict = await check(setup);
    expect(verdict.verdict, verdict.explanation).toBe('valid');
    expect(verdict.counts.orders).toBe(ok.length);
  });

  it('reports an oversell and a missing payment when the state is broken behind its back', async () => {
    const client = await connect('race');
    await client.query('UPDATE inventory SET on_hand = -1 WHERE product_id = 1');
    await client.query('DELETE FROM payments WHERE order_id = (SELECT min(order_id) FROM payments)');
    const result = await check(client);
    expect(result.verdict).toBe('invalid');
    expect(result.counts['negative-stock']).toBe(1);
    expect(result.counts['payment-mismatch']).toBe(1);
  });
});
