import pg from 'pg';
import type { PgServerNode } from '../pg-server-node.ts';
import type { LocalJoinResult } from '../../../harness/results/partitioned-layout-results.ts';

export type { LocalJoinResult };

// What a reference table is for, measured: a join of a partitioned table with it can run on each
// shard alone, against the shard's own copy, instead of on the coordinator, which must first pull
// every row of the partitioned table over postgres_fdw. Sales by category (order lines joined
// with products) is answered both ways after the run; the answers must agree, and the rows each
// way sends to the coordinator and its time are reported.

export const LOCAL_JOIN_TABLES = { partitioned: 'order_items', reference: 'products' } as const;

const SALES_BY_CATEGORY = `
SELECT p.category_id::text AS category, sum(oi.quantity * oi.unit_price)::text AS revenue, count(*)::text AS lines
  FROM order_items oi JOIN products p ON p.id = oi.product_id
 GROUP BY p.category_id`;

interface SalesRow {
  readonly category: string;
  readonly revenue: string;
  readonly lines: string;
}

/** Revenue in cents, exactly: numeric arrives as text. */
function cents(revenue: string): bigint {
  const [whole, fraction = ''] = revenue.split('.');
  const sign = whole!.startsWith('-') ? -1n : 1n;
  return BigInt(whole!) * 100n + sign * BigInt((fraction + '00').slice(0, 2));
}

/** Category → [revenue in cents, lines], summed over every part's answer. */
export function mergeSales(parts: readonly (readonly SalesRow[])[]): Map<string, [bigint, number]> {
  const merged = new Map<string, [bigint, number]>();
  for (const rows of parts) {
    for (const row of rows) {
      const [revenue, lines] = merged.get(row.category) ?? [0n, 0];
      merged.set(row.category, [revenue + cents(row.revenue), lines + Number(row.lines)]);
    }
  }
  return merged;
}

export function sameSales(a: ReadonlyMap<string, [bigint, number]>, b: ReadonlyMap<string, [bigint, number]>): boolean {
  return a.size === b.size && [...a].every(([category, [revenue, lines]]) => b.get(category)?.[0] === revenue && b.get(category)?.[1] === lines);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  let best = Infinity;
  let result: T | undefined;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    result = await work();
    best = Math.min(best, performance.now() - start);
  }
  return [result!, Math.round(best * 1000) / 1000];
}

const sales = (client: pg.ClientBase) => client.query<SalesRow>(SALES_BY_CATEGORY).then((r) => r.rows);

/** Sessions opened first, so the timings are the queries' alone (the coordinator's FDW connections included). */
async function withSessions<T>(nodes: readonly PgServerNode[], work: (clients: pg.Client[]) => Promise<T>): Promise<T> {
  const clients = nodes.map((node) => new pg.Client({ ...node.adminConfig(), statement_timeout: 30_000, application_name: 'faultline-local-join' }));
  for (const client of clients) client.on('error', () => {});
  try {
    await Promise.all(clients.map((client) => client.connect()));
    return await work(clients);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
  }
}

export async function measureLocalJoin(coordinator: PgServerNode, shards: readonly PgServerNode[]): Promise<LocalJoinResult> {
  const [central, coordinatorMs] = await withSessions([coordinator], async ([client]) => {
    await sales(client!); // opens its FDW connections, as a warm coordinator has them
    return timed(() => sales(client!));
  });
  const [parts, shardLocalMs] = await withSessions(shards, (clients) => timed(() => Promise.all(clients.map(sales))));
  const whole = mergeSales([central]);
  const local = mergeSales(parts);
  return {
    query: 'sales by category: order_items JOIN products GROUP BY category_id',
    coordinatorRowsMoved: [...whole.values()].reduce((sum, [, lines]) => sum + lines, 0),
    shardLocalRowsMoved: parts.reduce((sum, rows) => sum + rows.length, 0),
    coordinatorMs,
    shardLocalMs,
    categories: whole.size,
    sameAnswer: sameSales(whole, local),
  };
}
