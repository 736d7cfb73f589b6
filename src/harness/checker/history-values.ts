import type { OperationName } from '../scenario/schema.ts';
import { READ_ONLY_OPS } from '../workload/ecommerce/op-args.ts';
import { ORDER_HISTORY_LIMIT } from '../workload/ecommerce/vocabulary.ts';

// Reading operation values out of the history. Values are `unknown` on disk; these guards take
// only what a checker relies on, so a malformed value is skipped instead of trusted.

/** order-history returns at most this many orders, newest first: a full page may hide older ones. */
export const ORDER_PAGE_LIMIT = ORDER_HISTORY_LIMIT;

/** Every operation that changes the database; the workload's read-only set is the one definition. */
export function isWrite(f: OperationName): boolean {
  return !READ_ONLY_OPS.has(f);
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

export interface CheckoutIds {
  readonly orderId: number;
  readonly customerId: number;
}

/** The order and customer of a checkout, from its invoke arguments or its completion value. */
export function checkoutIds(value: unknown): CheckoutIds | undefined {
  const orderId = integer(field(value, 'orderId'));
  const customerId = integer(field(value, 'customerId'));
  return orderId === undefined || customerId === undefined ? undefined : { orderId, customerId };
}

export interface OrderHistoryRead {
  readonly customerId: number;
  readonly orderIds: readonly number[];
}

/** An ok order-history's answer; undefined when the value is not one. */
export function orderHistoryRead(value: unknown): OrderHistoryRead | undefined {
  const customerId = integer(field(value, 'customerId'));
  const orderIds = field(value, 'orderIds');
  if (customerId === undefined || !Array.isArray(orderIds)) return undefined;
  const ids: number[] = [];
  for (const id of orderIds as unknown[]) {
    const n = integer(id);
    if (n === undefined) return undefined;
    ids.push(n);
  }
  return { customerId, orderIds: ids };
}

/** How many order lines a checkout meant to write: the length of its invoke's items. */
export function checkoutItemCount(args: unknown): number | undefined {
  const items = field(args, 'items');
  return Array.isArray(items) && items.length > 0 ? items.length : undefined;
}
