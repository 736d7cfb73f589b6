import type pg from 'pg';
import type { CentralAnalytics, ProductSales, RegionSales } from '../../../harness/results/regional-central-results.ts';

export type { CentralAnalytics, ProductSales, RegionSales };

// Seed 004's reason for a central database: questions about the whole business, answered in one
// place without touching any region. They run on central after the checks, over every order it
// holds (the dataset's history and the run's replicated orders).

export const TOP_PRODUCTS = 5;

const SALES_BY_REGION = `
SELECT region, count(*)::int AS orders, count(*) FILTER (WHERE NOT historical)::int AS run_orders, sum(total)::text AS revenue
FROM orders GROUP BY region ORDER BY region`;

const TOP_PRODUCTS_SQL = `
SELECT i.product_id::text AS product_id, p.name, sum(i.quantity)::int AS units, sum(i.quantity * i.unit_price)::text AS revenue
FROM order_items i JOIN products p ON p.id = i.product_id
GROUP BY i.product_id, p.name ORDER BY units DESC, i.product_id LIMIT ${TOP_PRODUCTS}`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, Math.round((performance.now() - start) * 1000) / 1000];
}

export async function runCentralAnalytics(central: pg.ClientBase, owners: ReadonlyMap<string, string>): Promise<CentralAnalytics> {
  const [sales, salesMs] = await timed(() =>
    central.query<{ region: string; orders: number; run_orders: number; revenue: string }>(SALES_BY_REGION),
  );
  const [products, productsMs] = await timed(() =>
    central.query<{ product_id: string; name: string; units: number; revenue: string }>(TOP_PRODUCTS_SQL),
  );
  return {
    salesByRegion: sales.rows.map((row) => ({
      customerRegion: row.region,
      region: owners.get(row.region) ?? null,
      orders: row.orders,
      runOrders: row.run_orders,
      revenue: Number(row.revenue),
    })),
    topProducts: products.rows.map((row) => ({ productId: Number(row.product_id), name: row.name, units: row.units, revenue: Number(row.revenue) })),
    queryMs: { salesByRegion: salesMs, topProducts: productsMs },
  };
}
