import { readHistory } from '../history/history-reader.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { duration, ExampleList, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { checkoutIds, ORDER_PAGE_LIMIT, orderHistoryRead } from './history-values.ts';
import { OperationPairer } from './operation-pairer.ts';
import { RegionCounts, type RegionOfWorker } from './region-counts.ts';

// Monotonic reads, per customer: once a read has shown an order, a later read (one that began
// after the first had returned) must show it too; the workload never deletes orders, so an order
// that disappears means the second read went back in time, typically to a replica further behind
// than the one that served the first. A later read that returned a full page (ORDER_PAGE_LIMIT)
// may have pushed the order off the page; it is judged only if it lists an order certainly older
// than the missing one (acknowledged before the missing order's checkout began), else counted as
// unjudgeable.
//
// Per customer we keep, for each order ever seen, the earliest completion that showed it: a new
// read must contain every order seen by a read that completed before it began. Memory follows
// the orders seen, not the reads.

interface Sighting {
  readonly readId: number;
  readonly node: string;
  readonly completedAt: number;
}

interface Violation {
  readonly customerId: number;
  readonly missingOrderIds: readonly number[];
  readonly earlierRead: { readonly id: number; readonly node: string; readonly completedAt: number };
  readonly laterRead: { readonly id: number; readonly node: string; readonly invokedAt: number; readonly returned: number };
  /** How long after the earlier read returned the later one began, and still saw less. */
  readonly msBetween: number;
}

interface Timing {
  readonly invokedAt: number;
  readonly ackedAt: number;
}

/** Missing orders that a full page cannot hide: it lists an order older than each of them. */
function provenMissing(missing: [number, Sighting][], returned: readonly number[], timing: ReadonlyMap<number, Timing>): [number, Sighting][] {
  let oldestListedAck = Infinity;
  for (const id of returned) oldestListedAck = Math.min(oldestListedAck, timing.get(id)?.ackedAt ?? Infinity);
  return missing.filter(([orderId]) => oldestListedAck < (timing.get(orderId)?.invokedAt ?? -Infinity));
}

/** `regionOfWorker`: violations are also counted by the client region of the worker whose later read went back. */
export async function evaluateMonotonicReads(history: HistorySource, regionOfWorker?: RegionOfWorker): Promise<CheckResult> {
  const pairer = new OperationPairer((f) => f === 'order-history');
  const timing = new Map<number, Timing>();
  const checkoutStarts = new Map<number, { orderId: number; time: number }>();
  const seen = new Map<number, Map<number, Sighting>>();
  const counts: Record<string, number> = { reads: 0, readsChecked: 0, violations: 0, unjudgeable: 0 };
  const examples = new ExampleList<Violation>();
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const perRegion = new RegionCounts(regionOfWorker, ['readsChecked', 'violations']);

  for await (const event of history) {
    if (event.type === 'invoke' && event.f === 'checkout') {
      const ids = checkoutIds(event.value);
      if (ids) checkoutStarts.set(event.id, { orderId: ids.orderId, time: event.time });
    } else if ((event.type === 'ok' || event.type === 'fail' || event.type === 'info') && event.f === 'checkout') {
      const start = checkoutStarts.get(event.id);
      checkoutStarts.delete(event.id);
      if (start && event.type === 'ok') timing.set(start.orderId, { invokedAt: start.time, ackedAt: event.time });
    }
    const read = pairer.accept(event);
    if (read === undefined || read.type !== 'ok') continue;
    const answer = orderHistoryRead(read.value);
    if (answer === undefined) continue;
    counts.reads!++;
    perRegion.touch(read.worker);
    let sightings = seen.get(answer.customerId);
    if (sightings === undefined) seen.set(answer.customerId, (sightings = new Map()));
    const returned = new Set(answer.orderIds);
    let earlierReads = false;
    let missing: [number, Sighting][] = [];
    for (const [orderId, sighting] of sightings) {
      // Only reads that had completed before this one began are ordered before it.
      if (sighting.completedAt >= read.invokeTime) continue;
      earlierReads = true;
      if (!returned.has(orderId)) missing.push([orderId, sighting]);
    }
    if (earlierReads) {
      counts.readsChecked!++;
      bump(`readsChecked.${read.node}`);
      perRegion.bump(read.worker, 'readsChecked');
    }
    if (missing.length > 0 && answer.orderIds.length >= ORDER_PAGE_LIMIT) {
      missing = provenMissing(missing, answer.orderIds, timing);
      if (missing.length === 0) counts.unjudgeable!++;
    }
    if (missing.length > 0) {
      counts.violations!++;
      bump(`violations.${read.node}`);
      perRegion.bump(read.worker, 'violations');
      // The most recent sighting is the tightest demonstration: the smallest gap between the reads.
      const [, earlier] = missing.reduce((a, b) => (b[1].completedAt > a[1].completedAt ? b : a));
      examples.offer({
        customerId: answer.customerId,
        missingOrderIds: missing.map(([orderId]) => orderId),
        earlierRead: { id: earlier.readId, node: earlier.node, completedAt: roundMs(earlier.completedAt) },
        laterRead: { id: read.id, node: read.node, invokedAt: roundMs(read.invokeTime), returned: answer.orderIds.length },
        msBetween: roundMs(read.invokeTime - earlier.completedAt),
      });
    }
    for (const orderId of answer.orderIds) {
      const known = sightings.get(orderId);
      if (known === undefined || read.time < known.completedAt) sightings.set(orderId, { readId: read.id, node: read.node, completedAt: read.time });
    }
  }

  Object.assign(counts, perRegion.toCounts());
  const { violations = 0, readsChecked = 0, unjudgeable = 0 } = counts;
  const skipped = unjudgeable === 0 ? '' : ` ${plural(unjudgeable, 'read')} returned a full page of ${ORDER_PAGE_LIMIT} orders and could not be judged.`;
  if (readsChecked === 0) {
    return {
      verdict: 'unknown',
      counts,
      examples: [],
      explanation: 'No customer read their order history twice in a row (the second read starting after the first returned), so monotonic reads were never put to the test.',
    };
  }
  if (violations === 0) {
    return {
      verdict: 'valid',
      counts,
      examples: [],
      explanation: `In all ${plural(readsChecked, 'order-history read')} that followed an earlier read of the same customer, every order seen before was still there: reads never went back in time.${skipped}`,
    };
  }
  const first = examples.items[0];
  const hop = first === undefined ? '' : ` For example, customer ${first.customerId} saw order ${first.missingOrderIds[0]} on ${first.earlierRead.node}, then ${duration(first.msBetween)} later read from ${first.laterRead.node} and it was gone.`;
  return {
    verdict: 'invalid',
    counts,
    examples: examples.items,
    explanation:
      `${violations} of ${plural(readsChecked, 'order-history read')} no longer showed an order that an earlier read of the same customer had shown: ` +
      `time went backwards for that customer. This happens when consecutive reads land on replicas that are behind by different amounts.${hop}${skipped}`,
  };
}

export const monotonicReadsChecker: Checker = {
  name: 'monotonic-reads',
  async check(ctx) {
    return evaluateMonotonicReads(readHistory(ctx.historyPath), ctx.regionOfWorker);
  },
};
