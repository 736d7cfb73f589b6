import type pg from 'pg';
import type { OpResult } from '../workload-types.ts';
import { classifyError, shouldRollBack } from './classify-error.ts';
import type { CheckoutArgs } from './op-args.ts';
import { parseCents } from './seeded-facts.ts';
import { runStatement, statement, type StatementProtocol } from '../statements/statement-protocol.ts';

// Checkout: one transaction in four round trips (BEGIN, reserve stock, write the order, COMMIT).
// Stock is taken by a conditional UPDATE (on_hand >= quantity), never by read-then-write, so
// two racing checkouts cannot both take the last unit under READ COMMITTED: the second one
// re-evaluates the condition on the row the first one committed.

// Rows are locked in product order (FOR UPDATE under ORDER BY locks as it sorts), so two
// checkouts that share products always queue instead of deadlocking. The UPDATE only touches
// rows the CTE has already locked. Also the coordinator's part of a two-phase checkout.
export const RESERVE_STOCK = `
WITH wanted AS (
  SELECT * FROM unnest($1::bigint[], $2::integer[]) AS w(product_id, quantity)
), locked AS (
  SELECT i.product_id FROM inventory i JOIN wanted w USING (product_id)
  WHERE i.warehouse_id = $3 ORDER BY i.product_id FOR UPDATE OF i
)
UPDATE inventory i SET on_hand = i.on_hand - w.quantity
FROM wanted w JOIN locked l USING (product_id)
WHERE i.product_id = w.product_id AND i.warehouse_id = $3 AND i.on_hand >= w.quantity
RETURNING i.product_id`;

// The order, its lines (priced from products), its payment and its shipment in one statement.
// Prices and the total are computed by the server so the payment always equals the order total
// unless something outside this statement breaks it, which is what the checker looks for.
const WRITE_ORDER = `
WITH wanted AS (
  SELECT * FROM unnest($4::bigint[], $5::integer[]) WITH ORDINALITY AS w(product_id, quantity, line)
), priced AS (
  SELECT w.line::integer AS line, w.product_id, w.quantity, p.price FROM wanted w JOIN products p ON p.id = w.product_id
), buyer AS (
  SELECT id, region, address FROM customers WHERE id = $2::bigint
), placed AS (
  INSERT INTO orders (id, customer_id, region, status, total, created_at, historical)
  SELECT $1::bigint, b.id, b.region, 'placed', (SELECT sum(price * quantity) FROM priced), now(), false FROM buyer b
  RETURNING id, total
), lines AS (
  INSERT INTO order_items (order_id, line, product_id, warehouse_id, quantity, unit_price)
  SELECT o.id, p.line, p.product_id, $3::integer, p.quantity, p.price FROM placed o CROSS JOIN priced p
  RETURNING line
), paid AS (
  INSERT INTO payments (order_id, amount, method, status, created_at)
  SELECT id, total, $6::text, 'captured', now() FROM placed
), shipped AS (
  INSERT INTO shipments (order_id, carrier, address, status, created_at)
  SELECT o.id, $7::text, b.address, 'pending', now() FROM placed o CROSS JOIN buyer b
)
SELECT total::text AS total, (SELECT count(*) FROM lines)::integer AS lines FROM placed`;

async function rollBack(client: pg.ClientBase): Promise<void> {
  // Best effort: if even ROLLBACK fails, the server aborts the transaction when the session ends.
  await client.query('ROLLBACK').catch(() => undefined);
}

/**
 * Sends COMMIT. A distributed checkout replaces it to reach its commit point (a fault can stop a
 * shard there); whatever it throws is classified as a COMMIT error.
 */
export type CommitStep = (client: pg.ClientBase, args: CheckoutArgs) => Promise<void>;

const sendCommit: CommitStep = async (client) => void (await client.query('COMMIT'));

const RESERVE = statement('faultline.checkout.reserve', RESERVE_STOCK);
const WRITE = statement('faultline.checkout.write-order', WRITE_ORDER);

export async function checkoutPg(
  args: CheckoutArgs,
  client: pg.ClientBase,
  commit: CommitStep = sendCommit,
  protocol: StatementProtocol = 'prepared',
): Promise<OpResult> {
  const productIds = args.items.map((item) => item.productId);
  const quantities = args.items.map((item) => item.quantity);
  // The items are in the invoke's arguments already; the completion carries only what the
  // checkers key on, because every byte here is serialised once per operation.
  const value = { orderId: args.orderId, customerId: args.customerId };
  try {
    await client.query('BEGIN');
    const reserved = await runStatement(client, protocol, RESERVE, [productIds, quantities, args.warehouseId]);
    if (reserved.rowCount !== args.items.length) {
      await rollBack(client);
      return { type: 'fail', error: 'out-of-stock', value };
    }
    const written = await runStatement<{ total: string; lines: number }>(client, protocol, WRITE, [
      args.orderId,
      args.customerId,
      args.warehouseId,
      productIds,
      quantities,
      args.paymentMethod,
      args.carrier,
    ]);
    const row = written.rows[0];
    if (!row || row.lines !== args.items.length) {
      await rollBack(client);
      return { type: 'fail', error: row ? 'unknown-product' : 'unknown-customer', value };
    }
    const total = parseCents(row.total) / 100;
    try {
      await commit(client, args);
    } catch (error) {
      return classifyError(error, 'commit', { orderId: args.orderId, customerId: args.customerId, total });
    }
    return { type: 'ok', value: { orderId: args.orderId, customerId: args.customerId, total } };
  } catch (error) {
    if (shouldRollBack(error)) await rollBack(client);
    return classifyError(error, 'in-transaction', value);
  }
}
