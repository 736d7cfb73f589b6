import type pg from 'pg';
import type { OrderCopies, OrderParts } from '../../../harness/checker/final-state.ts';

// Per-order readings for atomicity (rows per table) and central-completeness (copies on a node,
// run orders central holds that no region acknowledged), read from PostgreSQL.

// One grouped query per table; on pg-partitioned the filter goes to every shard in one remote scan.
const PARTS_SQL = `
WITH ids AS (SELECT DISTINCT unnest($1::bigint[]) AS id),
     o AS (SELECT id, count(*)::integer AS n FROM orders WHERE id = ANY($1::bigint[]) GROUP BY id),
     i AS (SELECT order_id, count(*)::integer AS n FROM order_items WHERE order_id = ANY($1::bigint[]) GROUP BY order_id),
     p AS (SELECT order_id, count(*)::integer AS n FROM payments WHERE order_id = ANY($1::bigint[]) GROUP BY order_id),
     s AS (SELECT order_id, count(*)::integer AS n FROM shipments WHERE order_id = ANY($1::bigint[]) GROUP BY order_id)
SELECT ids.id::text AS id, coalesce(o.n, 0) AS orders, coalesce(i.n, 0) AS items, coalesce(p.n, 0) AS payments, coalesce(s.n, 0) AS shipments
FROM ids LEFT JOIN o ON o.id = ids.id LEFT JOIN i ON i.order_id = ids.id LEFT JOIN p ON p.order_id = ids.id LEFT JOIN s ON s.order_id = ids.id
WHERE o.n IS NOT NULL OR i.n IS NOT NULL OR p.n IS NOT NULL OR s.n IS NOT NULL`;

export async function readOrderParts(client: pg.ClientBase, orderIds: readonly number[]): Promise<Map<number, OrderParts>> {
  const found = new Map<number, OrderParts>();
  if (orderIds.length === 0) return found;
  const result = await client.query<{ id: string } & OrderParts>(PARTS_SQL, [orderIds]);
  for (const row of result.rows) {
    found.set(Number(row.id), { orders: row.orders, items: row.items, payments: row.payments, shipments: row.shipments });
  }
  return found;
}


const COPIES_SQL = `
SELECT id::text AS id, copies, items, payments FROM (
  SELECT w.id,
    (SELECT count(*) FROM orders o WHERE o.id = w.id)::int AS copies,
    (SELECT count(*) FROM order_items i WHERE i.order_id = w.id)::int AS items,
    (SELECT count(*) FROM payments p WHERE p.order_id = w.id)::int AS payments
  FROM unnest($1::bigint[]) AS w(id)
) c WHERE copies + items + payments > 0`;

/** Counted rather than assumed: a primary key makes two copies impossible, and this would see it dropped. */
export function copiesOn(client: pg.ClientBase): (orderIds: readonly number[]) => Promise<ReadonlyMap<number, OrderCopies>> {
  return async (orderIds) => {
    const copies = new Map<number, OrderCopies>();
    const { rows } = await client.query<{ id: string } & OrderCopies>({ name: 'faultline.check.order-copies', text: COPIES_SQL, values: [orderIds] });
    for (const { id, ...counts } of rows) copies.set(Number(id), counts);
    return copies;
  };
}

const EXTRA_PAGE = 5_000;

/** Pages through central's run orders by id, keeping only a count and a few ids. */
export function extraOn(client: pg.ClientBase): (known: (orderId: number) => boolean) => Promise<{ count: number; examples: number[] }> {
  return async (known) => {
    let after = '0';
    let count = 0;
    const examples: number[] = [];
    for (;;) {
      const { rows } = await client.query<{ id: string }>({
        name: 'faultline.check.run-orders',
        text: 'SELECT id::text AS id FROM orders WHERE NOT historical AND id > $1::bigint ORDER BY id LIMIT $2',
        values: [after, EXTRA_PAGE],
      });
      for (const { id } of rows) {
        if (known(Number(id))) continue;
        count++;
        if (examples.length < 10) examples.push(Number(id));
      }
      if (rows.length < EXTRA_PAGE) return { count, examples };
      after = rows[rows.length - 1]!.id;
    }
  };
}

