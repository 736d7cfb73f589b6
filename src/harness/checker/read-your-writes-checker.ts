import { readHistory } from '../history/history-reader.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { duration, ExampleList, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { checkoutIds, ORDER_PAGE_LIMIT, orderHistoryRead } from './history-values.ts';
import { OperationPairer } from './operation-pairer.ts';
import { RegionCounts, type RegionOfWorker } from './region-counts.ts';

// Read your writes, with the customer as the session: once a customer's checkout is acknowledged,
// every order-history read that customer STARTS afterwards must list the order. A read started
// before the acknowledgement is concurrent with the write and may go either way, so it is not
// judged. Reads served by a replica are where this breaks: the replica may not have replayed the
// commit yet. The order-history page holds the newest ORDER_PAGE_LIMIT orders, so a full page
// missing order M proves something only if it lists an order certainly older than M: one whose
// checkout was acknowledged before M's checkout began (M's created_at is later). Otherwise the
// read counts as unjudgeable.

interface Violation {
  readonly customerId: number;
  readonly missingOrderIds: readonly number[];
  readonly checkoutAckedAt: number;
  readonly checkoutNode: string;
  readonly readId: number;
  readonly readNode: string;
  readonly readInvokedAt: number;
  readonly readCompletedAt: number;
  /** How long after the (newest missing) acknowledgement the read began and still missed it. */
  readonly msAfterAck: number;
  readonly returnedOrderIds: readonly number[];
}

interface Placed {
  readonly orderId: number;
  readonly invokedAt: number;
  readonly ackedAt: number;
  readonly node: string;
}

/** A full page can hide M only if everything it lists might be newer than M. */
function pageProvesMissing(missing: readonly Placed[], returned: readonly number[], byId: ReadonlyMap<number, Placed>): Placed[] {
  let oldestListedAck = Infinity;
  for (const id of returned) oldestListedAck = Math.min(oldestListedAck, byId.get(id)?.ackedAt ?? Infinity);
  return missing.filter((order) => oldestListedAck < order.invokedAt);
}

/** `regionOfWorker`: violations are also counted by the client region of the worker that read. */
export async function evaluateReadYourWrites(history: HistorySource, regionOfWorker?: RegionOfWorker): Promise<CheckResult> {
  const pairer = new OperationPairer((f) => f === 'order-history');
  /** Every acknowledged order per customer: the reads of that customer are judged against them. */
  const placed = new Map<number, Placed[]>();
  const counts: Record<string, number> = { acknowledgedCheckouts: 0, reads: 0, readsChecked: 0, violations: 0, unjudgeable: 0 };
  const examples = new ExampleList<Violation>();
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const perRegion = new RegionCounts(regionOfWorker, ['readsChecked', 'violations']);

  const placedById = new Map<number, Placed>();
  /** Checkouts in flight: their start bounds their order's created_at from below. */
  const checkoutStarts = new Map<number, number>();

  for await (const event of history) {
    if (event.type === 'invoke' && event.f === 'checkout') checkoutStarts.set(event.id, event.time);
    if ((event.type === 'ok' || event.type === 'fail' || event.type === 'info') && event.f === 'checkout') {
      const invokedAt = checkoutStarts.get(event.id) ?? event.time;
      checkoutStarts.delete(event.id);
      const ids = event.type === 'ok' ? checkoutIds(event.value) : undefined;
      if (ids === undefined) continue;
      counts.acknowledgedCheckouts!++;
      const order = { orderId: ids.orderId, invokedAt, ackedAt: event.time, node: event.node };
      const list = placed.get(ids.customerId) ?? [];
      list.push(order);
      placed.set(ids.customerId, list);
      placedById.set(order.orderId, order);
      continue;
    }
    const read = pairer.accept(event);
    if (read === undefined || read.type !== 'ok') continue;
    const answer = orderHistoryRead(read.value);
    if (answer === undefined) continue;
    counts.reads!++;
    perRegion.touch(read.worker);
    // Strictly before the read began: an ack at the same instant is concurrent.
    const due = (placed.get(answer.customerId) ?? []).filter((order) => order.ackedAt < read.invokeTime);
    if (due.length === 0) continue;
    counts.readsChecked!++;
    bump(`readsChecked.${read.node}`);
    perRegion.bump(read.worker, 'readsChecked');
    const seen = new Set(answer.orderIds);
    let missing = due.filter((order) => !seen.has(order.orderId));
    if (missing.length === 0) continue;
    if (answer.orderIds.length >= ORDER_PAGE_LIMIT) {
      missing = pageProvesMissing(missing, answer.orderIds, placedById);
      if (missing.length === 0) {
        counts.unjudgeable!++;
        continue;
      }
    }
    counts.violations!++;
    bump(`violations.${read.node}`);
    perRegion.bump(read.worker, 'violations');
    const newest = missing.reduce((a, b) => (b.ackedAt > a.ackedAt ? b : a));
    examples.offer({
      customerId: answer.customerId,
      missingOrderIds: missing.map((order) => order.orderId),
      checkoutAckedAt: roundMs(newest.ackedAt),
      checkoutNode: newest.node,
      readId: read.id,
      readNode: read.node,
      readInvokedAt: roundMs(read.invokeTime),
      readCompletedAt: roundMs(read.time),
      msAfterAck: roundMs(read.invokeTime - newest.ackedAt),
      returnedOrderIds: answer.orderIds,
    });
  }

  Object.assign(counts, perRegion.toCounts());
  const { violations = 0, readsChecked = 0, unjudgeable = 0 } = counts;
  const skipped = unjudgeable === 0 ? '' : ` ${plural(unjudgeable, 'read')} returned a full page of ${ORDER_PAGE_LIMIT} orders without the order and could not be judged.`;
  if (readsChecked === 0) {
    return {
      verdict: 'unknown',
      counts,
      examples: [],
      explanation: 'No customer read their order history after one of their checkouts was acknowledged, so read-your-writes was never put to the test.',
    };
  }
  if (violations === 0) {
    return {
      verdict: 'valid',
      counts,
      examples: [],
      explanation: `In all ${plural(readsChecked, 'order-history read')} started after the same customer's checkout was acknowledged, the new order was listed: customers always saw their own orders.${skipped}`,
    };
  }
  const nodes = Object.keys(counts).filter((key) => key.startsWith('violations.')).map((key) => key.slice('violations.'.length));
  const first = examples.items[0];
  return {
    verdict: 'invalid',
    counts,
    examples: examples.items,
    explanation:
      `${violations} of ${plural(readsChecked, 'order-history read')} missed an order the same customer had already been told was placed ` +
      `(served by ${nodes.join(', ')}): the customer checks out, opens "my orders", and the order is not there. ` +
      `A read served by a replica sees only what the replica has replayed so far; the first example read started ` +
      `${duration(first?.msAfterAck ?? 0)} after the acknowledgement.${skipped}`,
  };
}

export const readYourWritesChecker: Checker = {
  name: 'read-your-writes',
  async check(ctx) {
    return evaluateReadYourWrites(readHistory(ctx.historyPath), ctx.regionOfWorker);
  },
};
