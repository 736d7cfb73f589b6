import { readHistory } from '../history/history-reader.ts';
import { DEFAULT_MIN_COVERAGE } from '../scenario/check-bounds-schema.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { duration, ExampleList, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { ORDER_PAGE_LIMIT, orderHistoryRead } from './history-values.ts';
import { OperationPairer } from './operation-pairer.ts';
import { combinedRecency, judgeFullPage, OrderTimeline, PageOrder, readCoverage, type AcknowledgedCheckout } from './order-recency.ts';
import { RegionCounts, type RegionOfWorker } from './region-counts.ts';

// Read your writes, with the customer as the session: once a customer's checkout is acknowledged,
// every order-history read that customer STARTS afterwards must list the order. A read started
// before the acknowledgement is concurrent with the write and may go either way, so it is not
// judged. Reads served by a replica are where this breaks: the replica may not have replayed the
// commit yet. The order-history page holds the newest ORDER_PAGE_LIMIT orders, so a full page
// without order M is judged by recency (order-recency.ts): it proves M missing when it lists an
// order certainly older than M, it is consistent when everything it lists is certainly newer
// (M fell off the page), and otherwise the read is counted apart as unjudged. Checkout times date
// most orders; two checkouts that overlapped are dated by any earlier page that listed both.
//
// Coverage is judged reads / readsWithPriorWrite: the ok reads whose customer had an acknowledged
// checkout before the read began. Only those can miss a write of their own; a read with none before
// it satisfies read-your-writes vacuously (counted as nothingDue, outside the denominator), as Elle
// would not count it either. Unjudgeable full pages stay in the denominator: they could have
// shown a violation and were not judged. A proven violation is invalid whatever the coverage;
// "valid" needs at least the bound's minCoverage, else the verdict is unknown.

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

export interface SessionCheckOptions {
  /** Violations are also counted by the client region of the worker that read. */
  readonly regionOfWorker?: RegionOfWorker;
  /** Share of reads that must be judged for a valid verdict (bounds.<check>.minCoverage). */
  readonly minCoverage?: number;
}

export async function evaluateReadYourWrites(history: HistorySource, options: SessionCheckOptions | RegionOfWorker = {}): Promise<CheckResult> {
  const { regionOfWorker, minCoverage = DEFAULT_MIN_COVERAGE } = typeof options === 'function' ? { regionOfWorker: options } : options;
  const pairer = new OperationPairer((f) => f === 'order-history');
  const timeline = new OrderTimeline();
  const pages = new PageOrder();
  const recency = combinedRecency(timeline, pages);
  /** Every acknowledged order per customer: the reads of that customer are judged against them. */
  const placed = new Map<number, AcknowledgedCheckout[]>();
  const counts: Record<string, number> = { acknowledgedCheckouts: 0, reads: 0, readsChecked: 0, violations: 0, unjudgeable: 0, nothingDue: 0 };
  const examples = new ExampleList<Violation>();
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const perRegion = new RegionCounts(regionOfWorker, ['readsChecked', 'violations']);

  for await (const event of history) {
    const acked = timeline.observe(event);
    if (acked !== undefined) {
      counts.acknowledgedCheckouts!++;
      const list = placed.get(acked.customerId) ?? [];
      list.push(acked);
      placed.set(acked.customerId, list);
      continue;
    }
    const read = pairer.accept(event);
    if (read === undefined || read.type !== 'ok') continue;
    const answer = orderHistoryRead(read.value);
    if (answer === undefined) continue;
    counts.reads!++;
    perRegion.touch(read.worker);
    // Every page orders the orders it lists, for this read and the ones after it (an order this page
    // lacks gains nothing from it, so recording it before judging it is the same as after).
    pages.observe(answer.orderIds);
    // Strictly before the read began: an ack at the same instant is concurrent. With nothing due
    // the read cannot miss a write of its own: vacuously satisfied, not a read to judge.
    const due = (placed.get(answer.customerId) ?? []).filter((order) => order.ackedAt < read.invokeTime);
    if (due.length === 0) {
      counts.nothingDue!++;
      continue;
    }
    const seen = new Set(answer.orderIds);
    let missing = due.filter((order) => !seen.has(order.orderId));
    if (missing.length > 0 && answer.orderIds.length >= ORDER_PAGE_LIMIT) {
      const { proven, ambiguous } = judgeFullPage(missing.map((order) => order.orderId), answer.orderIds, recency);
      if (proven.length === 0 && ambiguous.length > 0) {
        counts.unjudgeable!++;
        bump(`unjudgeable.${read.node}`);
        continue;
      }
      const provenIds = new Set(proven);
      missing = missing.filter((order) => provenIds.has(order.orderId));
    }
    counts.readsChecked!++;
    bump(`readsChecked.${read.node}`);
    perRegion.bump(read.worker, 'readsChecked');
    if (missing.length === 0) continue;
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
  const { violations = 0, readsChecked = 0, unjudgeable = 0, reads = 0, nothingDue = 0 } = counts;
  const readsWithPriorWrite = readsChecked + unjudgeable;
  const { coverage, enough, share } = readCoverage(readsChecked, 'readsWithPriorWrite', readsWithPriorWrite, reads, minCoverage);
  const base = { counts, bound: { minCoverage }, coverage };
  const vacuous = nothingDue === 0 ? '' : `; the other ${plural(nothingDue, 'read')} had no acknowledged checkout of their customer before them and cannot miss one`;
  const covered =
    `${readsChecked} of ${plural(readsWithPriorWrite, 'read')} that followed the customer's own acknowledged checkout judged ` +
    `(${Math.round(share * 100)} %, bound ${Math.round(minCoverage * 100)} %)${vacuous}`;
  const skipped =
    unjudgeable === 0
      ? ''
      : ` ${plural(unjudgeable, 'read')} returned a full page of ${ORDER_PAGE_LIMIT} orders without a due order and with orders whose age against it the history cannot tell: not judged.`;
  if (violations > 0) {
    const nodes = Object.keys(counts).filter((key) => key.startsWith('violations.')).map((key) => key.slice('violations.'.length));
    const first = examples.items[0];
    return {
      verdict: 'invalid',
      ...base,
      examples: examples.items,
      explanation:
        `${violations} of ${plural(readsChecked, 'judged order-history read')} missed an order the same customer had already been told was placed ` +
        `(served by ${nodes.join(', ')}): the customer checks out, opens "my orders", and the order is not there. ` +
        `A read served by a replica sees only what the replica has replayed so far; the first example read started ` +
        `${duration(first?.msAfterAck ?? 0)} after the acknowledgement. Coverage: ${covered}.${skipped}`,
    };
  }
  if (readsChecked === 0) {
    return {
      verdict: 'unknown',
      ...base,
      examples: [],
      explanation: `No order-history read could be judged (${plural(reads, 'read')}, ${readsWithPriorWrite} of them after an acknowledged checkout of the same customer; only those can miss a write), so read-your-writes was never put to the test.${skipped}`,
    };
  }
  if (!enough) {
    return {
      verdict: 'unknown',
      ...base,
      examples: [],
      explanation: `No violation among the judged reads, but only ${covered}: below the bound, "valid" would overstate what was checked.${skipped}`,
    };
  }
  return {
    verdict: 'valid',
    ...base,
    examples: [],
    explanation: `In all ${plural(readsChecked, 'judged order-history read')} started after the same customer's checkout was acknowledged, the new order was listed (or certainly pushed off a full page by newer ones): customers always saw their own orders. Coverage: ${covered}.${skipped}`,
  };
}

export const readYourWritesChecker: Checker = {
  name: 'read-your-writes',
  async check(ctx) {
    return evaluateReadYourWrites(readHistory(ctx.historyPath), {
      ...(ctx.regionOfWorker ? { regionOfWorker: ctx.regionOfWorker } : {}),
      minCoverage: ctx.bounds?.['read-your-writes']?.minCoverage ?? DEFAULT_MIN_COVERAGE,
    });
  },
};
