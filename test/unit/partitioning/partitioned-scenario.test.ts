import { describe, expect, it } from 'vitest';
import { Scenario } from '../../../src/harness/scenario/schema.ts';
import { maxOverMean, skewOf } from '../../../src/topologies/postgres/partitioned/shard-counters.ts';

// pg-partitioned scenarios: the shape the issue names, and the choices that cannot work
// rejected with the table and the reason, before any server starts.

const CHECKS = ['lost-writes', 'invariants'];

function parse(topology: Record<string, unknown>, checks: string[] = CHECKS) {
  return Scenario.safeParse({ name: 'p', description: 'd', topology: { kind: 'pg-partitioned', ...topology }, checks });
}

function messages(topology: Record<string, unknown>, checks?: string[]): string[] {
  const result = parse(topology, checks);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('pg-partitioned scenario', () => {
  it('accepts the issue example with defaults filled in', () => {
    const result = parse({
      shards: 3,
      tables: {
        orders: { strategy: 'hash', key: 'id' },
        order_items: { strategy: 'hash', key: 'order_id' },
        products: { strategy: 'range', key: 'price', bounds: [100, 250] },
        customers: { strategy: 'list', key: 'region', lists: [['NA'], ['EMEA'], ['APJ', 'LATAM']] },
      },
      settings: {},
    });
    expect(result.success).toBe(true);
    expect(result.data?.topology).toMatchObject({ kind: 'pg-partitioned', shards: 3, batchSize: 100 });
  });

  it.each(['carts', 'cart_items', 'ratings'])('rejects %s, written with ON CONFLICT', (table) => {
    expect(messages({ tables: { [table]: { strategy: 'hash', key: 'customer_id' } } })).toEqual([
      expect.stringMatching(new RegExp(`^topology\\.tables\\.${table}: ${table} cannot be partitioned: .*ON CONFLICT`)),
    ]);
  });

  it('rejects inventory, whose multi-row locking deadlocks across shards', () => {
    expect(messages({ tables: { inventory: { strategy: 'hash', key: 'product_id' } } })[0]).toMatch(/inventory cannot be partitioned: .*deadlock/);
  });

  it('needs K - 1 range bounds and K value lists', () => {
    expect(messages({ shards: 3, tables: { orders: { strategy: 'range', key: 'id', bounds: [10] } } })).toEqual([
      'topology.tables.orders.bounds: orders: 3 shards need 2 range bounds, got 1',
    ]);
    expect(messages({ shards: 2, tables: { customers: { strategy: 'list', key: 'region', lists: [['NA'], ['EMEA'], ['APJ']] } } })).toEqual([
      'topology.tables.customers.lists: customers: 2 shards need 2 value lists, got 3',
    ]);
  });

  it('rejects unknown tables, shard counts outside 2..8, and checks that compare whole nodes', () => {
    expect(messages({ tables: { nope: { strategy: 'hash', key: 'id' } } }).join()).toMatch(/tables/);
    expect(messages({ shards: 9 }).join()).toMatch(/shards/);
    expect(messages({ shards: 1 }).join()).toMatch(/shards/);
    expect(messages({}, ['convergence'])).toEqual([
      expect.stringMatching(/^checks: convergence compares replicas with their primary; pg-partitioned shards hold different rows/),
    ]);
  });
});

describe('skew', () => {
  it('is max / mean: 1 when even, K when everything is on one shard, null when nothing happened', () => {
    expect(maxOverMean([10, 10, 10])).toBe(1);
    expect(maxOverMean([0, 0, 30])).toBe(3);
    expect(maxOverMean([0, 0, 0])).toBeNull();
    expect(skewOf([{ reads: 1, inserts: 0, updates: 2 }, { reads: 1, inserts: 4, updates: 0 }])).toEqual({ reads: 1, inserts: 2, updates: 2 });
  });
});
