import type pg from 'pg';

// Every regional node is loaded with the whole seeded dataset (same seed, same rows), then keeps
// only what its region owns: its customers with their carts, ratings and orders (items, payments,
// shipments), and the stock of its own warehouses. The catalogue (categories, products,
// warehouses) stays everywhere as reference data, so browsing never leaves the region.

const OWNED_BY_ORDER = ['order_items', 'payments', 'shipments'] as const;
const OWNED_BY_CUSTOMER = ['cart_items', 'carts', 'ratings'] as const;

/** Deletes what other regions own, in one transaction; returns how many customers the node keeps. */
export async function keepOwnRows(client: pg.ClientBase, customerRegions: readonly string[]): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('CREATE TEMP TABLE faultline_gone ON COMMIT DROP AS SELECT id FROM customers WHERE NOT (region = ANY($1::text[]))', [
      customerRegions,
    ]);
    await client.query('CREATE TEMP TABLE faultline_gone_orders ON COMMIT DROP AS SELECT id FROM orders WHERE customer_id IN (SELECT id FROM faultline_gone)');
    for (const table of OWNED_BY_ORDER) await client.query(`DELETE FROM ${table} WHERE order_id IN (SELECT id FROM faultline_gone_orders)`);
    await client.query('DELETE FROM orders WHERE id IN (SELECT id FROM faultline_gone_orders)');
    for (const table of OWNED_BY_CUSTOMER) await client.query(`DELETE FROM ${table} WHERE customer_id IN (SELECT id FROM faultline_gone)`);
    await client.query('DELETE FROM customers WHERE id IN (SELECT id FROM faultline_gone)');
    await client.query('DELETE FROM inventory WHERE warehouse_id NOT IN (SELECT id FROM warehouses WHERE region = ANY($1::text[]))', [customerRegions]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  // Two thirds of a table gone: plans must not assume the loaded sizes.
  await client.query('ANALYZE');
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  return rows[0]!.n;
}
