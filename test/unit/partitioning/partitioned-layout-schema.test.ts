import { describe, expect, it } from 'vitest';
import { schemaColumns, schemaKeys } from '../../../src/harness/scenario/partitioned-schema.ts';
import { Scenario } from '../../../src/harness/scenario/schema.ts';

// Shard replicas, reference tables and vertical splits in a pg-partitioned scenario: the layout
// the issue names accepted with its defaults, every impossible one rejected naming the field.

function parse(topology: Record<string, unknown>, checks: string[] = ['lost-writes', 'invariants']) {
  return Scenario.safeParse({ name: 'p', description: 'd', topology: { kind: 'pg-partitioned', ...topology }, checks });
}

function messages(topology: Record<string, unknown>, checks?: string[]): string[] {
  const result = parse(topology, checks);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const SHIPMENTS = { shard1: ['carrier', 'status', 'created_at'], shard2: ['address'] };

describe('pg-partitioned layout', () => {
  it('defaults to no replicas, no reference tables and no vertical split', () => {
    expect(parse({}).data?.topology).toMatchObject({ replicasPerShard: 0, reference: [], vertical: {} });
  });

  it('accepts seed 001 with replicas and reference tables, ratings included (its ON CONFLICT runs on the coordinator)', () => {
    const result = parse({ replicasPerShard: 1, reference: ['products', 'ratings', 'carts'], vertical: { shipments: SHIPMENTS } });
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('takes 0 to 3 replicas per shard', () => {
    expect(messages({ replicasPerShard: 4 }).join()).toMatch(/^topology\.replicasPerShard/);
    expect(messages({ replicasPerShard: -1 }).join()).toMatch(/^topology\.replicasPerShard/);
  });

  it('refuses a table both partitioned and reference, or listed twice', () => {
    expect(messages({ tables: { products: { strategy: 'hash', key: 'id' } }, reference: ['products', 'warehouses', 'warehouses'] })).toEqual([
      'topology.reference.0: products is partitioned (tables.products): a table is either split across the shards or copied to every shard, not both',
      'topology.reference.2: warehouses is listed twice',
    ]);
  });

  it('refuses a vertical table that is also partitioned, reference or written with ON CONFLICT', () => {
    expect(messages({ tables: { shipments: { strategy: 'hash', key: 'order_id' } }, vertical: { shipments: SHIPMENTS } })).toEqual([
      'topology.vertical.shipments: shipments is partitioned (tables.shipments): split it either by rows or by columns, not both',
    ]);
    expect(messages({ reference: ['shipments'], vertical: { shipments: SHIPMENTS } })).toEqual([
      'topology.vertical.shipments: shipments is a reference table: a table copied whole to every shard cannot also be split by columns',
    ]);
    expect(messages({ vertical: { ratings: { shard1: ['stars'], shard2: ['created_at'] } } })[0]).toMatch(/^topology\.vertical\.ratings: ratings cannot be split vertically: .*ON CONFLICT/);
  });

  it('needs two groups on shards that exist, each column (but the key) in exactly one', () => {
    expect(messages({ vertical: { shipments: { shard1: ['carrier', 'address', 'status', 'created_at'] } } })).toEqual([
      'topology.vertical.shipments: shipments: name at least two shards, each with its column group (got 1)',
    ]);
    expect(messages({ shards: 2, vertical: { shipments: { shard1: ['carrier', 'status', 'created_at'], shard3: ['address'] } } })).toEqual([
      'topology.vertical.shipments.shard3: shard3 is not a shard of this topology (shard1 to shard2)',
    ]);
    expect(messages({ vertical: { shipments: { shard1: ['carrier', 'status', 'created_at', 'weight'], shard2: ['address', 'carrier', 'order_id'] } } })).toEqual([
      'topology.vertical.shipments.shard1.3: shipments has no column weight (it has order_id, carrier, address, status, created_at)',
      "topology.vertical.shipments.shard2.1: carrier is already in shard1's group: each column other than the primary key lives on one node",
    ]);
    expect(messages({ vertical: { shipments: { shard1: ['carrier'], shard2: ['address'] } } })).toEqual([
      'topology.vertical.shipments: shipments: every column must be in a group; missing status, created_at (the primary key, order_id, is in every group by itself)',
    ]);
  });

  it('allows replication-lag and convergence once there are copies to compare with their own source', () => {
    expect(messages({}, ['replication-lag'])[0]).toMatch(/^checks: replication-lag compares replicas with their primary.*\(replicasPerShard, reference\)$/);
    expect(messages({}, ['convergence'])[0]).toMatch(/^checks: convergence compares replicas with their primary/);
    expect(messages({ replicasPerShard: 1 }, ['replication-lag', 'convergence'])).toEqual([]);
    expect(messages({ reference: ['products'] }, ['replication-lag', 'convergence'])).toEqual([]);
  });
});

describe('the workload DDL, read for validation', () => {
  it("gives each table's columns in order and its primary key", () => {
    expect(schemaColumns().get('shipments')).toEqual(['order_id', 'carrier', 'address', 'status', 'created_at']);
    expect(schemaColumns().get('inventory')).toEqual(['product_id', 'warehouse_id', 'on_hand', 'initial_on_hand', 'restocked_total']);
    expect(schemaColumns().size).toBe(12);
    expect(schemaKeys().get('shipments')).toEqual(['order_id']);
    expect(schemaKeys().get('order_items')).toEqual(['order_id', 'line']);
    expect(schemaKeys().get('categories')).toEqual(['id']);
  });
});
