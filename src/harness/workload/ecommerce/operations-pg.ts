import type pg from 'pg';
import type { z } from 'zod';
import type { OperationName } from '../../scenario/schema.ts';
import type { OpResult, PlannedOp } from '../workload-types.ts';
import { runArrayStatement, runStatement, statement as named, type Statement, type StatementProtocol } from '../statements/statement-protocol.ts';
import { checkoutPg } from './checkout-pg.ts';
import { classifyError, type ErrorStage } from './classify-error.ts';
import { OP_ARG_SCHEMAS, type OpArgs } from './op-args.ts';
import { ORDER_HISTORY_LIMIT, PAGE_SIZE } from './vocabulary.ts';
import { errorMessage } from '../../output/errors.ts';

// The operations, PostgreSQL dialect. Each statement goes as a prepared (named) statement, parsed
// and planned once per connection, or by the simple protocol (workload.operations.<op>.protocol;
// statements/statement-protocol.ts). Except checkout (checkout-pg.ts), each operation is a single
// statement: in autocommit it commits or not as a whole, which keeps error classification honest.

type Handler<F extends OperationName> = (args: OpArgs[F], client: pg.ClientBase, protocol: StatementProtocol) => Promise<OpResult>;

/**
 * Each operation's protocol when the scenario names none, from bench/statement-protocol.ts (each
 * operation alone, both protocols, same server and clients, alternating slices, the ratio taken
 * within each round): prepared for every one. Its median prepared/simple ratios on the shared
 * 2-core build machine: browse-category 1.14, view-product 1.21, add-to-cart 1.03, checkout 1.35,
 * order-history 1.76, rate-product 1.13, recommendations 1.21, expire-carts 1.15, restock 1.10,
 * browse-price 1.50 (single rounds swing both ways under load; rerun it where it matters).
 */
export const DEFAULT_PROTOCOLS: Readonly<Record<OperationName, StatementProtocol>> = {
  'browse-category': 'prepared',
  'view-product': 'prepared',
  'add-to-cart': 'prepared',
  checkout: 'prepared',
  'order-history': 'prepared',
  'rate-product': 'prepared',
  recommendations: 'prepared',
  'expire-carts': 'prepared',
  restock: 'prepared',
  'browse-price': 'prepared',
};

// Kept to one primary-key lookup so it can be compared with `pgbench -S`.
const VIEW_PRODUCT = 'SELECT id, name, category_id, price, description FROM products WHERE id = $1';

const BROWSE_CATEGORY = `SELECT id, name, price FROM products WHERE category_id = $1 ORDER BY price, id LIMIT ${PAGE_SIZE} OFFSET $2`;

// A price range prunes to one partition when products are split by price (range-price.yaml);
// under any other split it asks every shard. Served by products_price.
const BROWSE_PRICE = `SELECT id, name, price FROM products WHERE price >= $1 AND price < $2 ORDER BY price, id LIMIT ${PAGE_SIZE}`;

const ORDER_HISTORY = `SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${ORDER_HISTORY_LIMIT}`;

// Touching the cart and adding the item in one statement: a concurrent expire-carts either
// removes the cart before (and this creates a new one) or waits for it and then sees it fresh.
const ADD_TO_CART = `
WITH cart AS (
  INSERT INTO carts AS c (customer_id, created_at, updated_at) VALUES ($1, now(), now())
  ON CONFLICT (customer_id) DO UPDATE SET updated_at = excluded.updated_at
  RETURNING c.customer_id
)
INSERT INTO cart_items AS i (customer_id, product_id, quantity, added_at)
SELECT customer_id, $2, $3, now() FROM cart
ON CONFLICT (customer_id, product_id) DO UPDATE SET quantity = i.quantity + excluded.quantity, added_at = excluded.added_at`;

const RATE_PRODUCT = `
INSERT INTO ratings AS r (customer_id, product_id, stars, created_at) VALUES ($1, $2, $3, now())
ON CONFLICT (customer_id, product_id) DO UPDATE SET stars = excluded.stars, created_at = excluded.created_at`;

// Seed 000's recommendation: the best-rated products in categories the customer liked (4+ stars)
// that they have not rated, by average then number of ratings; the global best fill any gap.
// The global ranking aggregates every rating, so it sits behind LIMIT in a UNION ALL: Append
// runs its branches in order and the limit stops it before the fallback when `picked` has two.
const RECOMMENDATIONS = `
WITH mine AS (
  SELECT r.product_id, r.stars, p.category_id FROM ratings r JOIN products p ON p.id = r.product_id WHERE r.customer_id = $1
), picked AS (
  SELECT r.product_id FROM ratings r JOIN products p ON p.id = r.product_id
  WHERE p.category_id IN (SELECT category_id FROM mine WHERE stars >= 4)
    AND r.product_id NOT IN (SELECT product_id FROM mine)
  GROUP BY r.product_id ORDER BY avg(r.stars) DESC, count(*) DESC, r.product_id LIMIT 2
), fallback AS (
  SELECT r.product_id FROM ratings r
  WHERE r.product_id NOT IN (SELECT product_id FROM mine) AND r.product_id NOT IN (SELECT product_id FROM picked)
  GROUP BY r.product_id ORDER BY avg(r.stars) DESC, count(*) DESC, r.product_id LIMIT 2
)
UPDATE customers SET recommended_products = ARRAY(
  SELECT product_id FROM (SELECT product_id FROM picked UNION ALL SELECT product_id FROM fallback) best LIMIT 2
)
WHERE id = $1
RETURNING recommended_products::text AS products`;

// Bounded: an expiry sweep must not become one huge transaction. SKIP LOCKED leaves carts that
// an add-to-cart is touching right now (they are not idle anyway) and lets sweeps run in parallel.
const EXPIRE_CARTS = `
WITH doomed AS (
  SELECT customer_id FROM carts
  WHERE updated_at < now() - make_interval(secs => $1::double precision / 1000)
  ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED
), gone AS (
  DELETE FROM carts c USING doomed d WHERE c.customer_id = d.customer_id RETURNING c.customer_id
), items AS (
  DELETE FROM cart_items i USING gone g WHERE i.customer_id = g.customer_id
)
SELECT count(*)::integer AS deleted FROM gone`;

const RESTOCK = `
UPDATE inventory SET on_hand = on_hand + $3, restocked_total = restocked_total + $3
WHERE product_id = $1 AND warehouse_id = $2`;

const STATEMENTS = {
  'view-product': named('faultline.view-product', VIEW_PRODUCT),
  'browse-category': named('faultline.browse-category', BROWSE_CATEGORY),
  'browse-price': named('faultline.browse-price', BROWSE_PRICE),
  'order-history': named('faultline.order-history', ORDER_HISTORY),
  'add-to-cart': named('faultline.add-to-cart', ADD_TO_CART),
  'rate-product': named('faultline.rate-product', RATE_PRODUCT),
  recommendations: named('faultline.recommendations', RECOMMENDATIONS),
  'expire-carts': named('faultline.expire-carts', EXPIRE_CARTS),
  restock: named('faultline.restock', RESTOCK),
} satisfies Partial<Record<OperationName, Statement>>;

/** Single-statement operations: any error is classified by the stage the operation runs in. */
function statement<F extends OperationName>(stage: ErrorStage, body: Handler<F>): Handler<F> {
  return async (args, client, protocol) => {
    try {
      return await body(args, client, protocol);
    } catch (error) {
      return classifyError(error, stage, args);
    }
  };
}

const HANDLERS: { readonly [F in OperationName]: Handler<F> } = {
  'browse-category': statement('read', async (args, client, protocol) => {
    const rows = await runArrayStatement(client, protocol, STATEMENTS['browse-category'], [args.categoryId, args.page * PAGE_SIZE]);
    return { type: 'ok', value: { rows: rows.length } };
  }),
  'browse-price': statement('read', async (args, client, protocol) => {
    const rows = await runArrayStatement(client, protocol, STATEMENTS['browse-price'], [args.minPrice, args.maxPrice]);
    return { type: 'ok', value: { rows: rows.length } };
  }),
  'view-product': statement('read', async (args, client, protocol) => {
    const rows = await runArrayStatement(client, protocol, STATEMENTS['view-product'], [args.productId]);
    return { type: 'ok', value: { found: rows.length > 0 } };
  }),
  'order-history': statement('read', async (args, client, protocol) => {
    const rows = await runArrayStatement(client, protocol, STATEMENTS['order-history'], [args.customerId]);
    return { type: 'ok', value: { customerId: args.customerId, orderIds: rows.map((row) => Number(row[0])) } };
  }),
  'add-to-cart': statement('autocommit-write', async (args, client, protocol) => {
    await runStatement(client, protocol, STATEMENTS['add-to-cart'], [args.customerId, args.productId, args.quantity]);
    return { type: 'ok', value: { cartId: args.customerId } };
  }),
  'rate-product': statement('autocommit-write', async (args, client, protocol) => {
    await runStatement(client, protocol, STATEMENTS['rate-product'], [args.customerId, args.productId, args.stars]);
    return { type: 'ok', value: { ...args } };
  }),
  recommendations: statement('autocommit-write', async (args, client, protocol) => {
    const result = await runStatement(client, protocol, STATEMENTS.recommendations, [args.customerId]);
    const text: unknown = result.rows[0]?.products;
    if (typeof text !== 'string') return { type: 'fail', error: 'unknown-customer', value: { ...args } };
    const productIds = text === '{}' ? [] : text.slice(1, -1).split(',').map(Number);
    return { type: 'ok', value: { customerId: args.customerId, productIds } };
  }),
  'expire-carts': statement('autocommit-write', async (args, client, protocol) => {
    const result = await runStatement(client, protocol, STATEMENTS['expire-carts'], [args.idleMs, args.limit]);
    return { type: 'ok', value: { deleted: Number(result.rows[0]?.deleted ?? 0) } };
  }),
  restock: statement('autocommit-write', async (args, client, protocol) => {
    const result = await runStatement(client, protocol, STATEMENTS.restock, [args.productId, args.warehouseId, args.quantity]);
    if (result.rowCount !== 1) return { type: 'fail', error: 'not-found', value: { ...args } };
    return { type: 'ok', value: { ...args } };
  }),
  checkout: (args, client, protocol) => checkoutPg(args, client, undefined, protocol),
};

const SCHEMAS: { readonly [F in OperationName]: z.ZodType<OpArgs[F]> } = OP_ARG_SCHEMAS;

function dispatch<F extends OperationName>(f: F, raw: unknown, client: pg.ClientBase, protocol: StatementProtocol): Promise<OpResult> | OpResult {
  const parsed = SCHEMAS[f].safeParse(raw);
  if (!parsed.success) return { type: 'fail', error: 'error', value: { message: `bad arguments for ${f}: ${parsed.error.message}` } };
  return HANDLERS[f](parsed.data, client, protocol);
}

/** Runs one planned operation. Never throws: a bug in here still becomes a fail, not a crash. */
export async function executeEcommercePg(
  op: PlannedOp,
  client: pg.ClientBase,
  protocols: Readonly<Record<OperationName, StatementProtocol>> = DEFAULT_PROTOCOLS,
): Promise<OpResult> {
  try {
    if (!Object.hasOwn(HANDLERS, op.f)) return { type: 'fail', error: 'error', value: { message: `unknown operation ${String(op.f)}` } };
    return await dispatch(op.f, op.args, client, protocols[op.f]);
  } catch (error) {
    return { type: 'fail', error: 'error', value: { message: errorMessage(error) } };
  }
}
