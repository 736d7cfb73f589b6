import type pg from 'pg';
import type { CheckoutArgs } from '../../../../harness/workload/ecommerce/op-args.ts';
import {
  CHECKOUT_TABLES,
  checkoutRows,
  quoteCheckout,
  type CheckoutQuote,
  type CheckoutRow,
  type CheckoutTable,
} from '../../../../harness/workload/ecommerce/checkout-rows.ts';
import type { VerticalLayout } from '../vertical-ddl.ts';
import type { ShardRouter } from './shard-router.ts';

// Where each row of one checkout lives: rows of partitioned tables on the shard their key routes
// to, a vertically split table's row as one part per column group on that group's node, the rest
// (and the stock reservation: inventory cannot be partitioned) on the coordinator.

/** node → table → rows, in the checkout's row order. */
export type NodeRows = Map<string, Map<CheckoutTable, CheckoutRow[]>>;

export interface CheckoutPlacement {
  readonly quote: CheckoutQuote;
  readonly rows: NodeRows;
}

/** Groups rows by node, given each partitioned table's routed nodes (row order). */
export function groupByNode(
  rows: { readonly [T in CheckoutTable]: readonly CheckoutRow[] },
  routed: ReadonlyMap<string, readonly string[]>,
  coordinator: string,
  vertical: readonly VerticalLayout[] = [],
): NodeRows {
  const byNode: NodeRows = new Map();
  const add = (node: string, table: CheckoutTable, row: CheckoutRow) => {
    const tables = byNode.get(node) ?? new Map<CheckoutTable, CheckoutRow[]>();
    byNode.set(node, tables);
    tables.set(table, [...(tables.get(table) ?? []), row]);
  };
  for (const table of CHECKOUT_TABLES) {
    const split = vertical.find((v) => v.table === table);
    if (split) {
      for (const group of split.groups) for (const row of rows[table]) add(group.node, table, pick(row, group.columns));
      continue;
    }
    const nodes = routed.get(table);
    rows[table].forEach((row, i) => {
      add(nodes ? nodes[i]! : coordinator, table, row);
    });
  }
  return byNode;
}

/** The row's values of `columns` only (a column the row does not set is left to the table's default). */
function pick(row: CheckoutRow, columns: readonly string[]): CheckoutRow {
  return Object.fromEntries(Object.entries(row).filter(([name]) => columns.includes(name)));
}

export type PlacementFailure = 'unknown-customer' | 'unknown-product';

/**
 * Reads what the rows need (buyer, prices) and routes them, on any coordinator session outside
 * the writing transactions. A missing customer or product is the checkout's own failure.
 */
export async function placeCheckout(
  client: pg.ClientBase,
  args: CheckoutArgs,
  router: ShardRouter,
  coordinator: string,
): Promise<CheckoutPlacement | PlacementFailure> {
  const quote = await quoteCheckout(client, args);
  if (!quote) return 'unknown-customer';
  if (quote.prices.length !== args.items.length) return 'unknown-product';
  const rows = checkoutRows(args, quote);
  const keys = new Map<string, unknown[]>();
  for (const table of CHECKOUT_TABLES) {
    const key = router.keyOf(table);
    if (key === undefined) continue;
    if (rows[table].some((row) => !(key in row))) throw new Error(`${table} is partitioned by ${key}, which a checkout does not set`);
    keys.set(table, rows[table].map((row) => row[key]));
  }
  return { quote, rows: groupByNode(rows, await router.route(client, keys), coordinator, router.vertical) };
}
