import type pg from 'pg';
import type { CheckoutArgs } from './op-args.ts';

// A checkout as rows, for a caller that writes them itself instead of running checkout-pg.ts's
// one statement: a distributed checkout under two-phase commit, which sends each node the rows
// that live there. The rows are exactly what WRITE_ORDER inserts (created_at is left to each
// table's DEFAULT now(), as there), so the checkers cannot tell the two paths apart.

export const CHECKOUT_TABLES = ['orders', 'order_items', 'payments', 'shipments'] as const;
export type CheckoutTable = (typeof CHECKOUT_TABLES)[number];

/** Column name and PostgreSQL type, in insert order; the type names the unnest() array parameter. */
export const CHECKOUT_COLUMNS: { readonly [T in CheckoutTable]: readonly (readonly [string, string])[] } = {
  orders: [['id', 'bigint'], ['customer_id', 'bigint'], ['region', 'text'], ['status', 'text'], ['total', 'numeric'], ['historical', 'boolean']],
  order_items: [['order_id', 'bigint'], ['line', 'integer'], ['product_id', 'bigint'], ['warehouse_id', 'integer'], ['quantity', 'integer'], ['unit_price', 'numeric']],
  payments: [['order_id', 'bigint'], ['amount', 'numeric'], ['method', 'text'], ['status', 'text']],
  shipments: [['order_id', 'bigint'], ['carrier', 'text'], ['address', 'text'], ['status', 'text']],
};

/** The column holding a row's order id: how a checker or a probe finds an order's rows. */
export const ORDER_COLUMN: { readonly [T in CheckoutTable]: string } = { orders: 'id', order_items: 'order_id', payments: 'order_id', shipments: 'order_id' };

export type CheckoutValue = string | number | boolean;
export type CheckoutRow = Readonly<Record<string, CheckoutValue>>;
export type CheckoutRows = { readonly [T in CheckoutTable]: readonly CheckoutRow[] };

/** What the order needs from rows it does not write: the buyer, and each line's price (numeric as text: exact). */
export interface CheckoutQuote {
  readonly region: string;
  readonly address: string;
  /** One per item, in the items' order. */
  readonly prices: readonly string[];
  readonly total: string;
}

// Read-only and outside the writing transactions: prices and customers never change during a
// run, and a transaction to be PREPAREd must not touch a postgres_fdw foreign table (products
// or customers may be partitioned). No row: the customer does not exist.
const QUOTE_CHECKOUT = `
WITH wanted AS (
  SELECT * FROM unnest($1::bigint[], $2::integer[]) WITH ORDINALITY AS w(product_id, quantity, line)
), priced AS (
  SELECT w.line, w.quantity, p.price FROM wanted w JOIN products p ON p.id = w.product_id
)
SELECT c.region, c.address,
       coalesce((SELECT array_agg(price::text ORDER BY line) FROM priced), '{}') AS prices,
       (SELECT sum(price * quantity)::text FROM priced) AS total
FROM customers c WHERE c.id = $3::bigint`;

export async function quoteCheckout(client: pg.ClientBase, args: CheckoutArgs): Promise<CheckoutQuote | undefined> {
  const result = await client.query<{ region: string; address: string; prices: string[]; total: string | null }>({
    name: 'faultline.checkout.quote',
    text: QUOTE_CHECKOUT,
    values: [args.items.map((i) => i.productId), args.items.map((i) => i.quantity), args.customerId],
  });
  const row = result.rows[0];
  return row ? { region: row.region, address: row.address, prices: row.prices, total: row.total ?? '0' } : undefined;
}

/** The rows of one checkout; `quote.prices` must have one price per item. */
export function checkoutRows(args: CheckoutArgs, quote: CheckoutQuote): CheckoutRows {
  const orderId = args.orderId;
  return {
    orders: [{ id: orderId, customer_id: args.customerId, region: quote.region, status: 'placed', total: quote.total, historical: false }],
    order_items: args.items.map((item, i) => ({
      order_id: orderId,
      line: i + 1,
      product_id: item.productId,
      warehouse_id: args.warehouseId,
      quantity: item.quantity,
      unit_price: quote.prices[i]!,
    })),
    payments: [{ order_id: orderId, amount: quote.total, method: args.paymentMethod, status: 'captured' }],
    shipments: [{ order_id: orderId, carrier: args.carrier, address: quote.address, status: 'pending' }],
  };
}

/** Only `only` of the table's columns (a vertical column group), or all of them. */
function columnsOf(table: CheckoutTable, only?: readonly string[]): readonly (readonly [string, string])[] {
  return only ? CHECKOUT_COLUMNS[table].filter(([name]) => only.includes(name)) : CHECKOUT_COLUMNS[table];
}

/** One INSERT for any number of rows of `table`: one array parameter per column. */
export function insertRowsSql(table: CheckoutTable, only?: readonly string[]): string {
  const columns = columnsOf(table, only);
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
}

/** The parameters of insertRowsSql: column by column. */
export function insertRowsValues(table: CheckoutTable, rows: readonly CheckoutRow[], only?: readonly string[]): CheckoutValue[][] {
  return columnsOf(table, only).map(([name]) => rows.map((row) => row[name]!));
}
