import { describe, expect, it } from 'vitest';
import { checkoutRows, insertRowsSql, insertRowsValues } from '../../../../src/harness/workload/ecommerce/checkout-rows.ts';
import { groupByNode } from '../../../../src/topologies/postgres/partitioned/distributed/checkout-placement.ts';
import { gidFor, GID_PREFIX, orderIdOfGid } from '../../../../src/topologies/postgres/partitioned/distributed/gid.ts';
import { routeSql } from '../../../../src/topologies/postgres/partitioned/distributed/shard-router.ts';

const args = {
  orderId: 4242,
  customerId: 7,
  warehouseId: 2,
  items: [
    { productId: 5, quantity: 1 },
    { productId: 9, quantity: 3 },
  ],
  paymentMethod: 'card',
  carrier: 'UPS',
};
const quote = { region: 'EMEA', address: '1 Main St', prices: ['10.50', '20.00'], total: '70.50' };

describe('gids', () => {
  it('one per checkout, read back to its order id, and nothing else taken for one', () => {
    expect(gidFor(4242)).toBe(`${GID_PREFIX}4242`);
    expect(orderIdOfGid(gidFor(4242))).toBe(4242);
    for (const other of ['tx-1', `${GID_PREFIX}`, `${GID_PREFIX}12a`, `${GID_PREFIX}-3`, `${GID_PREFIX}0`]) expect(orderIdOfGid(other)).toBeUndefined();
    expect(() => gidFor(0)).toThrow(/positive integer/);
  });
});

describe('a checkout as rows', () => {
  it('writes what the one-statement checkout writes', () => {
    const rows = checkoutRows(args, quote);
    expect(rows.orders).toEqual([{ id: 4242, customer_id: 7, region: 'EMEA', status: 'placed', total: '70.50', historical: false }]);
    expect(rows.order_items).toEqual([
      { order_id: 4242, line: 1, product_id: 5, warehouse_id: 2, quantity: 1, unit_price: '10.50' },
      { order_id: 4242, line: 2, product_id: 9, warehouse_id: 2, quantity: 3, unit_price: '20.00' },
    ]);
    expect(rows.payments).toEqual([{ order_id: 4242, amount: '70.50', method: 'card', status: 'captured' }]);
    expect(rows.shipments).toEqual([{ order_id: 4242, carrier: 'UPS', address: '1 Main St', status: 'pending' }]);
  });

  it('inserts any number of rows in one statement, one array per column', () => {
    expect(insertRowsSql('payments')).toBe('INSERT INTO payments (order_id, amount, method, status) SELECT * FROM unnest($1::bigint[], $2::numeric[], $3::text[], $4::text[])');
    expect(insertRowsValues('order_items', checkoutRows(args, quote).order_items)[2]).toEqual([5, 9]);
  });
});

describe('routing', () => {
  it("asks PostgreSQL's own partition constraints, one array column per table", () => {
    const sql = routeSql([
      {
        table: 'order_items',
        key: 'product_id',
        keyType: 'bigint',
        partitions: [
          { node: 'shard1', constraint: "satisfies_hash_partition('16513'::oid, 2, 0, product_id)" },
          { node: 'shard2', constraint: "satisfies_hash_partition('16513'::oid, 2, 1, product_id)" },
        ],
      },
      { table: 'orders', key: 'region', keyType: 'text', partitions: [{ node: 'shard1', constraint: "(region = ANY (ARRAY['NA'::text]))" }] },
    ]);
    expect(sql).toBe(
      'SELECT ARRAY(SELECT CASE WHEN (satisfies_hash_partition(\'16513\'::oid, 2, 0, product_id)) THEN \'shard1\' ' +
        "WHEN (satisfies_hash_partition('16513'::oid, 2, 1, product_id)) THEN 'shard2' END " +
        'FROM unnest($1::bigint[]) WITH ORDINALITY AS k("product_id", faultline_ord) ORDER BY faultline_ord) AS "order_items", ' +
        "ARRAY(SELECT CASE WHEN ((region = ANY (ARRAY['NA'::text]))) THEN 'shard1' END " +
        'FROM unnest($2::text[]) WITH ORDINALITY AS k("region", faultline_ord) ORDER BY faultline_ord) AS "orders"',
    );
  });

  it('groups rows by node: routed tables by their answer, the others on the coordinator', () => {
    const rows = checkoutRows(args, quote);
    const byNode = groupByNode(rows, new Map([['orders', ['shard3']], ['order_items', ['shard1', 'shard3']]]), 'coordinator');
    expect([...byNode.keys()]).toEqual(['shard3', 'shard1', 'coordinator']);
    expect([...byNode.get('shard3')!.keys()]).toEqual(['orders', 'order_items']);
    expect(byNode.get('shard3')!.get('order_items')).toEqual([rows.order_items[1]]);
    expect([...byNode.get('coordinator')!.keys()]).toEqual(['payments', 'shipments']);
  });
});

describe('routing a vertically split table', () => {
  const vertical = [
    {
      table: 'shipments',
      key: ['order_id'],
      groups: [
        { node: 'shard1', columns: ['order_id', 'carrier', 'status', 'created_at'] },
        { node: 'shard2', columns: ['order_id', 'address'] },
      ],
    },
  ];

  it("sends each column group of a row to its node, with that group's columns only", () => {
    const byNode = groupByNode(checkoutRows(args, quote), new Map(), 'coordinator', vertical);
    expect(byNode.get('shard1')!.get('shipments')).toEqual([{ order_id: 4242, carrier: 'UPS', status: 'pending' }]);
    expect(byNode.get('shard2')!.get('shipments')).toEqual([{ order_id: 4242, address: '1 Main St' }]);
    expect([...byNode.get('coordinator')!.keys()]).toEqual(['orders', 'order_items', 'payments']);
  });

  it('inserts a group with its columns only (created_at left to the shard table default)', () => {
    expect(insertRowsSql('shipments', ['order_id', 'address'])).toBe('INSERT INTO shipments (order_id, address) SELECT * FROM unnest($1::bigint[], $2::text[])');
    expect(insertRowsValues('shipments', [{ order_id: 1, address: 'x' }], ['order_id', 'address'])).toEqual([[1], ['x']]);
  });
});
