import { readHistory } from '../history/history-reader.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { at } from './checker-format.ts';
import { type StockBreach, stockBreaches, stockMovements } from './stock-ledger.ts';

// Invariants of the e-commerce workload: over time, from the history (stock-ledger.ts: stock
// certainly below zero at some moment, even if restocked later), and in the final state. The SQL only gathers rows; the judgement is
// a pure function of those rows, so tests can hand it a crafted oversell and watch it fail.
//
// Integrity is checked here rather than declared (no FKs, no CHECK on stock) because the
// topologies this harness breaks on purpose cannot all enforce constraints: a multi-leader
// setup can oversell, a partitioned one cannot keep a global primary key.

import type { InvariantRows, StockRow } from './final-state.ts';

export type { InvariantRows, OrderRow, StockRow } from './final-state.ts';

export const INVARIANTS = {
  'stock-negative-during-run': 'stock certainly went below zero during the run (more units acknowledged as sold than initial stock + every restock begun so far): an oversell, with when and where, even if a restock later hid it',
  'negative-stock': 'stock below zero: more units were sold than the warehouse held (an oversell)',
  oversold: 'more units sold during the run than the warehouse ever had (initial stock + restocked): an oversell, even where stock on hand still looks positive',
  'stock-not-conserved': 'initial stock + restocked units differs from stock on hand + units sold during the run',
  'order-without-items': 'an order with no order lines',
  'payment-mismatch': 'an order without exactly one payment equal to its total',
  'duplicate-order-id': 'an order id stored more than once',
  'orphan-order-rows': 'order lines or payments whose order does not exist',
} as const;
export type InvariantName = keyof typeof INVARIANTS;

const MAX_EXAMPLES = 10;

/** What the history showed about stock over time; absent for callers without a history (MongoDB). */
export interface StockOverTime {
  readonly breaches: readonly StockBreach[];
  readonly checkouts: number;
  readonly restocks: number;
}

function violations(rows: InvariantRows, overTime?: StockOverTime): Record<InvariantName, object[]> {
  const found: Record<InvariantName, object[]> = {
    'stock-negative-during-run': (overTime?.breaches ?? []).map((b) => ({ ...b, when: at(b.firstAt) })),
    'negative-stock': [],
    oversold: [],
    'stock-not-conserved': [],
    'order-without-items': [],
    'payment-mismatch': [],
    'duplicate-order-id': [],
    'orphan-order-rows': [],
  };
  for (const s of rows.stock) {
    const where = { productId: s.productId, warehouseId: s.warehouseId };
    if (s.onHand < 0) found['negative-stock'].push({ ...where, onHand: s.onHand });
    const supplied = s.initialOnHand + s.restockedTotal;
    if (s.sold > supplied) found.oversold.push({ ...where, supplied, sold: s.sold, oversoldUnits: s.sold - supplied });
    const accounted = s.onHand + s.sold;
    if (supplied !== accounted) {
      found['stock-not-conserved'].push({ ...where, initialOnHand: s.initialOnHand, restocked: s.restockedTotal, onHand: s.onHand, sold: s.sold, unaccounted: supplied - accounted });
    }
  }
  for (const o of rows.orders) {
    const copies = o.totalsCents.length;
    if (copies === 0) {
      found['orphan-order-rows'].push({ orderId: o.orderId, items: o.items, payments: o.paymentsCents.length });
      continue;
    }
    if (copies > 1) {
      // Items and payments of a duplicated id cannot be told apart; the duplicate is the anomaly.
      found['duplicate-order-id'].push({ orderId: o.orderId, copies });
      continue;
    }
    if (o.items === 0) found['order-without-items'].push({ orderId: o.orderId });
    const total = o.totalsCents[0]!;
    if (o.paymentsCents.length !== 1 || o.paymentsCents[0] !== total) {
      found['payment-mismatch'].push({ orderId: o.orderId, totalCents: total, paymentsCents: o.paymentsCents });
    }
  }
  return found;
}

/** Up to MAX_EXAMPLES, taken in turn from each broken invariant so one flood cannot hide another. */
function pickExamples(found: Record<InvariantName, object[]>): object[] {
  const examples: object[] = [];
  const names = Object.keys(found) as InvariantName[];
  for (let i = 0; examples.length < MAX_EXAMPLES; i++) {
    const before = examples.length;
    for (const name of names) {
      const example = found[name][i];
      if (example && examples.length < MAX_EXAMPLES) examples.push({ invariant: name, ...example });
    }
    if (examples.length === before) break;
  }
  return examples;
}

/**
 * Units behind the stock violations. A lost decrement is a unit sold whose stock decrement was
 * overwritten (on hand + sold exceeds what was supplied): what two leaders updating one
 * inventory row do when one update replaces the other.
 */
function stockUnits(stock: readonly StockRow[]): Record<string, number> {
  let lostRows = 0;
  let lostUnits = 0;
  let oversoldUnits = 0;
  for (const s of stock) {
    const supplied = s.initialOnHand + s.restockedTotal;
    const excess = s.onHand + s.sold - supplied;
    if (excess > 0) {
      lostRows++;
      lostUnits += excess;
    }
    oversoldUnits += Math.max(0, s.sold - supplied);
  }
  return { 'lost-decrements': lostRows, 'lost-decrement-units': lostUnits, 'oversold-units': oversoldUnits };
}

export function evaluateInvariants(rows: InvariantRows, overTime?: StockOverTime): CheckResult {
  const found = violations(rows, overTime);
  const counts: Record<string, number> = { 'inventory-rows': rows.stock.length, orders: rows.orders.length };
  for (const [name, list] of Object.entries(found)) counts[name] = list.length;
  Object.assign(counts, stockUnits(rows.stock));
  const breaches = overTime?.breaches ?? [];
  counts['stock-negative-transient'] = breaches.filter((b) => !b.atEnd).length;
  const bound = { minStock: 0, stockOverTime: overTime ? 'history (acknowledged sales vs initial + restocks begun)' : 'not checked (no history)' };
  const coverage = {
    inventoryRows: rows.stock.length,
    orders: rows.orders.length,
    ...(overTime ? { checkoutsReplayed: overTime.checkouts, restocksReplayed: overTime.restocks } : {}),
  };
  if (rows.stock.length === 0) {
    return {
      verdict: 'unknown',
      counts,
      bound,
      coverage,
      examples: [],
      explanation: 'The inventory table is empty, so there is no stock to check: the dataset was probably never loaded.',
    };
  }
  const broken = (Object.keys(found) as InvariantName[]).filter((name) => found[name].length > 0);
  if (broken.length === 0) {
    return {
      verdict: 'valid',
      counts,
      bound,
      coverage,
      examples: [],
      explanation:
        (overTime ? `Replaying ${overTime.checkouts} acknowledged checkouts and ${overTime.restocks} restocks, no stock went below zero during the run. ` : '') +
        `All ${rows.stock.length} inventory rows are non-negative and conserve stock (initial + restocked = on hand + ` +
        `sold during the run); all ${rows.orders.length} orders have lines and exactly one payment equal to their ` +
        'total, and no order id appears twice.',
    };
  }
  const details = broken.map((name) => `${found[name].length} × ${name} (${INVARIANTS[name]})`);
  const units = [
    counts['lost-decrement-units']! > 0
      ? ` ${counts['lost-decrement-units']} units sold on ${counts['lost-decrements']} inventory rows were never taken from stock (lost decrements: an update of the row overwrote the one that took them).`
      : '',
    counts['oversold-units']! > 0 ? ` ${counts['oversold-units']} units were sold beyond what existed.` : '',
  ].join('');
  const first = breaches[0];
  const during =
    first === undefined
      ? ''
      : ` Stock first went below zero at ${at(first.firstAt)}: product ${first.productId} in warehouse ${first.warehouseId}, ` +
        `with the checkout acknowledged by ${first.node} (op ${first.opId}); it reached ${first.lowest} at ${at(first.lowestAt)}` +
        `${first.atEnd ? '' : ', and later restocks brought it back up, which the final state alone would never show'}.`;
  return {
    verdict: 'invalid',
    counts,
    bound,
    coverage,
    examples: pickExamples(found),
    explanation: `The run breaks ${broken.length} invariant${broken.length > 1 ? 's' : ''}: ${details.join('; ')}.${units}${during}`,
  };
}

export const invariantsChecker: Checker = {
  name: 'invariants',
  async check(ctx) {
    const rows = await ctx.finalState.invariantRows();
    const { movements, checkouts, restocks } = await stockMovements(readHistory(ctx.historyPath));
    const initial = new Map(rows.stock.map((s) => [`${s.productId}:${s.warehouseId}`, s.initialOnHand]));
    return evaluateInvariants(rows, { breaches: stockBreaches(movements, initial), checkouts, restocks });
  },
};

export function createInvariantsChecker(): Checker {
  return invariantsChecker;
}
