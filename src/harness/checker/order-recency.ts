import type { HistoryEvent } from '../history/history-types.ts';
import { checkoutIds } from './history-values.ts';

// Which of two orders is newer, as far as the history can prove it. order-history lists a
// customer's newest orders by created_at, and created_at is the checkout transaction's start:
// after its invoke, before its ok. So a run order acknowledged before another's checkout began
// is certainly older; one that began after the other was acknowledged is certainly newer; two
// that overlap cannot be told apart. An order id no checkout of the run carried is a seeded
// (historical) order, dated before the run: older than every run order.
//
// Session checks use this to judge full pages: a page of ORDER_PAGE_LIMIT orders that lacks
// order T proves T missing if it lists an order certainly older than T, and is consistent with
// T if everything it lists is certainly newer (T fell off the page); otherwise that read cannot
// be judged for T.

export type Recency = 'older' | 'newer' | 'unknown';

interface Timing {
  readonly invokedAt: number;
  /** Infinity while (or if never) acknowledged. */
  ackedAt: number;
}

export interface AcknowledgedCheckout {
  readonly orderId: number;
  readonly customerId: number;
  readonly invokedAt: number;
  readonly ackedAt: number;
  readonly node: string;
}

export class OrderTimeline {
  private readonly orders = new Map<number, Timing>();
  private readonly inFlight = new Map<number, number>();

  /** Feed every event; returns the checkout an ok completion acknowledged. */
  observe(event: HistoryEvent): AcknowledgedCheckout | undefined {
    if (event.type !== 'invoke' && event.type !== 'ok' && event.type !== 'fail' && event.type !== 'info') return undefined;
    if (event.f !== 'checkout') return undefined;
    if (event.type === 'invoke') {
      const ids = checkoutIds(event.value);
      if (ids === undefined) return undefined;
      this.inFlight.set(event.id, ids.orderId);
      this.orders.set(ids.orderId, { invokedAt: event.time, ackedAt: Infinity });
      return undefined;
    }
    const orderId = this.inFlight.get(event.id);
    this.inFlight.delete(event.id);
    if (orderId === undefined || event.type !== 'ok') return undefined;
    const timing = this.orders.get(orderId)!;
    timing.ackedAt = event.time;
    const ids = checkoutIds(event.value);
    if (ids === undefined) return undefined;
    return { orderId, customerId: ids.customerId, invokedAt: timing.invokedAt, ackedAt: event.time, node: event.node };
  }

  /** Is `listed` older or newer than `target` (both order ids)? */
  compare(listed: number, target: number): Recency {
    const l = this.orders.get(listed);
    const t = this.orders.get(target);
    if (l === undefined) return t === undefined ? 'unknown' : 'older';
    if (t === undefined) return 'newer';
    if (l.ackedAt < t.invokedAt) return 'older';
    if (l.invokedAt > t.ackedAt) return 'newer';
    return 'unknown';
  }
}

/**
 * What the pages themselves prove. order-history sorts by (created_at, id) descending, and neither
 * ever changes once an order is written, so any ok page, whoever read it and however stale the
 * node, shows the true order of the orders it lists. Two checkouts that overlapped in time (which
 * the timeline cannot tell apart) are ordered once one page has listed both. Pages seen so far
 * in the history are used; memory is one entry per pair of orders listed together.
 */
export class PageOrder {
  /** order id -> ids of orders some page listed below it (older). */
  private readonly below = new Map<number, Set<number>>();

  observe(page: readonly number[]): void {
    for (let i = 0; i < page.length; i++) {
      let older = this.below.get(page[i]!);
      if (older === undefined) this.below.set(page[i]!, (older = new Set()));
      for (let j = i + 1; j < page.length; j++) older.add(page[j]!);
    }
  }

  compare(listed: number, target: number): Recency {
    if (this.below.get(target)?.has(listed)) return 'older';
    if (this.below.get(listed)?.has(target)) return 'newer';
    return 'unknown';
  }
}

/** The timeline first, the pages where it cannot tell. */
export function combinedRecency(timeline: OrderTimeline, pages: PageOrder): (listed: number, target: number) => Recency {
  return (listed, target) => {
    const byTime = timeline.compare(listed, target);
    return byTime === 'unknown' ? pages.compare(listed, target) : byTime;
  };
}

export interface PageJudgement {
  /** Absent orders the page proves missing: it lists one certainly older. */
  readonly proven: number[];
  /** Absent orders the page may have pushed off: it cannot be judged for them. */
  readonly ambiguous: number[];
}

/** Judges a full page for each absent order; orders it certainly pushed off are in neither list. */
export function judgeFullPage(absent: Iterable<number>, listed: readonly number[], recency: (listed: number, target: number) => Recency): PageJudgement {
  const proven: number[] = [];
  const ambiguous: number[] = [];
  for (const target of absent) {
    let allNewer = true;
    let older = false;
    for (const id of listed) {
      const r = recency(id, target);
      if (r === 'older') {
        older = true;
        break;
      }
      if (r === 'unknown') allNewer = false;
    }
    if (older) proven.push(target);
    else if (!allNewer) ambiguous.push(target);
  }
  return { proven, ambiguous };
}

/**
 * The coverage a session check reports: judged reads over the reads that could have shown a
 * violation (`eligibleName`, e.g. readsWithPriorWrite). A read that cannot show one (no write of
 * its own before it, no earlier read to compare with) satisfies the guarantee vacuously: it is left
 * out of the denominator, not counted as judged, and `reads` keeps the total beside it.
 */
export function readCoverage(
  readsJudged: number,
  eligibleName: string,
  eligible: number,
  reads: number,
  minCoverage: number,
): { coverage: Record<string, number>; enough: boolean; share: number } {
  const share = eligible === 0 ? 0 : readsJudged / eligible;
  return {
    coverage: { readsJudged, [eligibleName]: eligible, reads, share: Math.round(share * 1000) / 1000 },
    enough: eligible > 0 && share >= minCoverage,
    share,
  };
}
