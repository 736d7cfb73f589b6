import type pg from 'pg';
import type { InvariantRows } from '../../../harness/checker/final-state.ts';

// The invariants checker's final-state rows, read from PostgreSQL: the SQL only gathers rows; the
// judgement (harness/checker/invariants-checker.ts) is a pure function of them.

const STOCK_SQL = `
WITH sold AS (
  SELECT product_id, warehouse_id, sum(quantity) AS sold FROM order_items
  WHERE order_id IN (SELECT id FROM orders WHERE NOT historical)
  GROUP BY product_id, warehouse_id
)
SELECT coalesce(i.product_id, s.product_id)::text AS product_id,
       coalesce(i.warehouse_id, s.warehouse_id)::integer AS warehouse_id,
       coalesce(i.on_hand, 0)::bigint::text AS on_hand,
       coalesce(i.initial_on_hand, 0)::bigint::text AS initial_on_hand,
       coalesce(i.restocked_total, 0)::bigint::text AS restocked_total,
       coalesce(s.sold, 0)::bigint::text AS sold
FROM inventory i FULL JOIN sold s ON s.product_id = i.product_id AND s.warehouse_id = i.warehouse_id`;

// Grouping by id (not trusting a primary key) is what finds duplicates on partitioned topologies.
const ORDERS_SQL = `
WITH o AS (SELECT id, array_agg((total * 100)::bigint::text) AS totals FROM orders GROUP BY id),
     i AS (SELECT order_id, count(*)::integer AS items FROM order_items GROUP BY order_id),
     p AS (SELECT order_id, array_agg((amount * 100)::bigint::text) AS amounts FROM payments GROUP BY order_id)
SELECT coalesce(o.id, i.order_id, p.order_id)::text AS order_id,
       coalesce(o.totals, '{}') AS totals,
       coalesce(i.items, 0) AS items,
       coalesce(p.amounts, '{}') AS amounts
FROM o FULL JOIN i ON i.order_id = o.id FULL JOIN p ON p.order_id = coalesce(o.id, i.order_id)`;

interface StockSqlRow { product_id: string; warehouse_id: number; on_hand: string; initial_on_hand: string; restocked_total: string; sold: string }
interface OrderSqlRow { order_id: string; totals: string[]; items: number; amounts: string[] }

/** Both queries read one snapshot, so a straggling write cannot make them disagree. */
export async function readInvariantRows(client: pg.ClientBase): Promise<InvariantRows> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const stock = await client.query<StockSqlRow>(STOCK_SQL);
    const orders = await client.query<OrderSqlRow>(ORDERS_SQL);
    return {
      stock: stock.rows.map((r) => ({
        productId: Number(r.product_id),
        warehouseId: r.warehouse_id,
        onHand: Number(r.on_hand),
        initialOnHand: Number(r.initial_on_hand),
        restockedTotal: Number(r.restocked_total),
        sold: Number(r.sold),
      })),
      orders: orders.rows.map((r) => ({
        orderId: Number(r.order_id),
        totalsCents: r.totals.map(Number),
        items: r.items,
        paymentsCents: r.amounts.map(Number),
      })),
    };
  } finally {
    await client.query('COMMIT').catch(() => undefined);
  }
}

