import { readHistory } from '../history/history-reader.ts';
import { DEFAULT_MIN_COVERAGE } from '../scenario/check-bounds-schema.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { duration, ExampleList, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { ORDER_PAGE_LIMIT, orderHistoryRead } from './history-values.ts';
import { OperationPairer } from './operation-pairer.ts';
import { combinedRecency, judgeFullPage, OrderTimeline, PageOrder, readCoverage, type Recency } from './order-recency.ts';
import type { SessionCheckOptions } from './read-your-writes-checker.ts';
import { RegionCounts } from './region-counts.ts';

// Monotonic reads, per customer: once a read has shown an order, a later read (one that began
// after the first had returned) must show it too; the workload never deletes orders, so an order
// that disappears means the second read went back in time, typically to a replica further behind
// than the one that served the first. A later read that returned a full page (ORDER_PAGE_LIMIT)
// may have pushed the order off the page. Such a page is judged by recency: it proves the order
// missing when it lists one certainly older (by checkout times, see order-recency.ts, or because
// the earlier page, or any page before, listed it below the missing one: a page is in created_at order); it is
// consistent when everything it lists is certainly newer; otherwise it is counted apart as unjudged.
//
// Per customer we keep, for each order ever seen, the earliest completion that showed it, with
// that read's page (shared between the orders it listed): a new read must contain every order
// seen by a read that completed before it began. Memory follows the orders seen, not the reads.
//
// Coverage is judged reads / readsWithEarlierRead: the ok reads that began after an earlier read of
// the same customer had returned at least one order. Only those can go back in time; a customer's
// first read, one overlapping every earlier read, or one after reads that listed nothing is
// monotonic vacuously (nothingToCompare, outside the denominator). Unjudgeable full pages stay in
// it. A proven violation is invalid whatever the coverage; "valid" needs at least minCoverage.

interface Sighting {
  readonly readId: number;
  readonly node: string;
  readonly completedAt: number;
  /** The page of the read that showed it, newest first, and the order's place on it. */
  readonly page: readonly number[];
  readonly index: number;
}

interface Violation {
  readonly customerId: number;
  readonly missingOrderIds: readonly number[];
  readonly earlierRead: { readonly id: number; readonly node: string; readonly completedAt: number };
  readonly laterRead: { readonly id: number; readonly node: string; readonly invokedAt: number; readonly returned: number };
  /** How long after the earlier read returned the later one began, and still saw less. */
  readonly msBetween: number;
}

export async function evaluateMonotonicReads(history: HistorySource, options: SessionCheckOptions | SessionCheckOptions['regionOfWorker'] = {}): Promise<CheckResult> {
  const { regionOfWorker, minCoverage = DEFAULT_MIN_COVERAGE } = typeof options === 'function' ? { regionOfWorker: options } : (options ?? {});
  const pairer = new OperationPairer((f) => f === 'order-history');
  const timeline = new OrderTimeline();
  const pages = new PageOrder();
  const byTimeOrPages = combinedRecency(timeline, pages);
  const seen = new Map<number, Map<number, Sighting>>();
  const counts: Record<string, number> = { reads: 0, readsChecked: 0, violations: 0, unjudgeable: 0, nothingToCompare: 0 };
  const examples = new ExampleList<Violation>();
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const perRegion = new RegionCounts(regionOfWorker, ['readsChecked', 'violations']);

  for await (const event of history) {
    timeline.observe(event);
    const read = pairer.accept(event);
    if (read === undefined || read.type !== 'ok') continue;
    const answer = orderHistoryRead(read.value);
    if (answer === undefined) continue;
    counts.reads!++;
    perRegion.touch(read.worker);
    // Any page orders what it lists (order-recency.ts); this one lacks the orders judged below.
    pages.observe(answer.orderIds);
    let sightings = seen.get(answer.customerId);
    if (sightings === undefined) seen.set(answer.customerId, (sightings = new Map()));
    const returned = new Set(answer.orderIds);
    let earlierReads = false;
    let missing = new Map<number, Sighting>();
    for (const [orderId, sighting] of sightings) {
      // Only reads that had completed before this one began are ordered before it.
      if (sighting.completedAt >= read.invokeTime) continue;
      earlierReads = true;
      if (!returned.has(orderId)) missing.set(orderId, sighting);
    }
    let judged = earlierReads;
    if (missing.size > 0 && answer.orderIds.length >= ORDER_PAGE_LIMIT) {
      const recency = (listed: number, target: number): Recency => {
        const s = missing.get(target)!;
        const place = s.page.indexOf(listed);
        if (place >= 0) return place > s.index ? 'older' : 'newer';
        return byTimeOrPages(listed, target);
      };
      const { proven, ambiguous } = judgeFullPage(missing.keys(), answer.orderIds, recency);
      missing = new Map(proven.map((id) => [id, missing.get(id)!]));
      if (proven.length === 0 && ambiguous.length > 0) judged = false;
    }
    if (!earlierReads) counts.nothingToCompare!++;
    else if (!judged) {
      counts.unjudgeable!++;
      bump(`unjudgeable.${read.node}`);
    } else {
      counts.readsChecked!++;
      bump(`readsChecked.${read.node}`);
      perRegion.bump(read.worker, 'readsChecked');
    }
    if (missing.size > 0) {
      counts.violations!++;
      bump(`violations.${read.node}`);
      perRegion.bump(read.worker, 'violations');
      // The most recent sighting is the tightest demonstration: the smallest gap between the reads.
      const earlier = [...missing.values()].reduce((a, b) => (b.completedAt > a.completedAt ? b : a));
      examples.offer({
        customerId: answer.customerId,
        missingOrderIds: [...missing.keys()],
        earlierRead: { id: earlier.readId, node: earlier.node, completedAt: roundMs(earlier.completedAt) },
        laterRead: { id: read.id, node: read.node, invokedAt: roundMs(read.invokeTime), returned: answer.orderIds.length },
        msBetween: roundMs(read.invokeTime - earlier.completedAt),
      });
    }
    const page = answer.orderIds;
    for (const [index, orderId] of page.entries()) {
      const known = sightings.get(orderId);
      if (known === undefined || read.time < known.completedAt) sightings.set(orderId, { readId: read.id, node: read.node, completedAt: read.time, page, index });
    }
  }

  Object.assign(counts, perRegion.toCounts());
  const { violations = 0, readsChecked = 0, unjudgeable = 0, reads = 0, nothingToCompare = 0 } = counts;
  const readsWithEarlierRead = readsChecked + unjudgeable;
  const { coverage, enough, share } = readCoverage(readsChecked, 'readsWithEarlierRead', readsWithEarlierRead, reads, minCoverage);
  const base = { counts, bound: { minCoverage }, coverage };
  const vacuous =
    nothingToCompare === 0 ? '' : `; the other ${plural(nothingToCompare, 'read')} followed no earlier read of their customer that had listed an order, so nothing could vanish`;
  const covered =
    `${readsChecked} of ${plural(readsWithEarlierRead, 'read')} that followed an earlier read listing orders judged ` +
    `(${Math.round(share * 100)} %, bound ${Math.round(minCoverage * 100)} %)${vacuous}`;
  const skipped =
    unjudgeable === 0
      ? ''
      : ` ${plural(unjudgeable, 'read')} returned a full page of ${ORDER_PAGE_LIMIT} orders without an order seen before, and the history cannot tell whether newer orders pushed it off: not judged.`;
  if (violations > 0) {
    const first = examples.items[0];
    const hop = first === undefined ? '' : ` For example, customer ${first.customerId} saw order ${first.missingOrderIds[0]} on ${first.earlierRead.node}, then ${duration(first.msBetween)} later read from ${first.laterRead.node} and it was gone.`;
    return {
      verdict: 'invalid',
      ...base,
      examples: examples.items,
      explanation:
        `${violations} of ${plural(readsChecked, 'judged order-history read')} no longer showed an order that an earlier read of the same customer had shown: ` +
        `time went backwards for that customer. This happens when consecutive reads land on replicas that are behind by different amounts.${hop} Coverage: ${covered}.${skipped}`,
    };
  }
  if (readsChecked === 0) {
    return {
      verdict: 'unknown',
      ...base,
      examples: [],
      explanation: `No order-history read could be judged (${plural(reads, 'read')}): no customer read twice in a row (the second read starting after the first returned) with an answer the history can judge, so monotonic reads were never put to the test.${skipped}`,
    };
  }
  if (!enough) {
    return {
      verdict: 'unknown',
      ...base,
      examples: [],
      explanation: `No read went back in time among the judged ones, but only ${covered}: below the bound, "valid" would overstate what was checked.${skipped}`,
    };
  }
  return {
    verdict: 'valid',
    ...base,
    examples: [],
    explanation: `In all ${plural(readsChecked, 'judged order-history read')} that followed an earlier read of the same customer, every order seen before was still there (or certainly pushed off a full page by newer ones): reads never went back in time. Coverage: ${covered}.${skipped}`,
  };
}

export const monotonicReadsChecker: Checker = {
  name: 'monotonic-reads',
  async check(ctx) {
    return evaluateMonotonicReads(readHistory(ctx.historyPath), {
      ...(ctx.regionOfWorker ? { regionOfWorker: ctx.regionOfWorker } : {}),
      minCoverage: ctx.bounds?.['monotonic-reads']?.minCoverage ?? DEFAULT_MIN_COVERAGE,
    });
  },
};
