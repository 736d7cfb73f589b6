import type pg from 'pg';
import type { AcknowledgedWrites } from '../../../harness/checker/acknowledged-writes.ts';
import type { FinalWrites } from '../../../harness/checker/final-state.ts';
import { readPresentOrderIds } from './order-ids-pg.ts';

// What one node holds of the keys the run wrote: only those keys are asked for, in batches, so
// the seeded rows (most of each table) stay out of memory.

const BATCH = 5000;

function pairs(keys: Iterable<string>): [string, string][] {
  return [...keys].map((key) => key.split(':') as [string, string]);
}

async function byPairs(client: pg.ClientBase, name: string, text: string, keys: Iterable<string>): Promise<[string, string][]> {
  const all = pairs(keys);
  const rows: [string, string][] = [];
  for (let start = 0; start < all.length; start += BATCH) {
    const batch = all.slice(start, start + BATCH);
    const result = await client.query<{ k: string; v: string }>({ name, text, values: [batch.map((p) => p[0]), batch.map((p) => p[1])] });
    for (const row of result.rows) rows.push([row.k, row.v]);
  }
  return rows;
}

const RESTOCKED = `SELECT i.product_id::text || ':' || i.warehouse_id AS k, i.restocked_total::text AS v
FROM inventory i JOIN unnest($1::bigint[], $2::integer[]) AS w(p, wh) ON i.product_id = w.p AND i.warehouse_id = w.wh`;
const CART_LINES = `SELECT i.customer_id::text || ':' || i.product_id AS k, '' AS v
FROM cart_items i JOIN unnest($1::bigint[], $2::bigint[]) AS w(c, p) ON i.customer_id = w.c AND i.product_id = w.p`;
const RATINGS = `SELECT r.customer_id::text || ':' || r.product_id AS k, r.stars::text AS v
FROM ratings r JOIN unnest($1::bigint[], $2::bigint[]) AS w(c, p) ON r.customer_id = w.c AND r.product_id = w.p`;
const RECOMMENDATIONS = 'SELECT id::text AS k, recommended_products::text AS v FROM customers WHERE id = ANY($1::bigint[])';

/** One snapshot of a node, so a straggling write cannot make the tables disagree. */
export async function readFinalWrites(client: pg.ClientBase, writes: AcknowledgedWrites): Promise<FinalWrites> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const orders = await readPresentOrderIds(client, [...writes.checkouts.keys()]);
    const restocked = new Map((await byPairs(client, 'faultline.check.restocked', RESTOCKED, writes.restocks.keys())).map(([k, v]) => [k, Number(v)]));
    const cartLines = new Set((await byPairs(client, 'faultline.check.cart-lines', CART_LINES, writes.cartAdds.keys())).map(([k]) => k));
    const ratings = new Map(await byPairs(client, 'faultline.check.ratings', RATINGS, writes.ratings.keys()));
    const customers = [...writes.recommendations.keys()];
    const recommendations = new Map<number, string>();
    for (let start = 0; start < customers.length; start += BATCH) {
      const result = await client.query<{ k: string; v: string }>({
        name: 'faultline.check.recommendations',
        text: RECOMMENDATIONS,
        values: [customers.slice(start, start + BATCH)],
      });
      for (const row of result.rows) recommendations.set(Number(row.k), row.v);
    }
    return { orders, restocked, cartLines, ratings, recommendations };
  } finally {
    await client.query('COMMIT').catch(() => undefined);
  }
}
