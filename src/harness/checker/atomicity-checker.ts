import type { Outcome } from '../history/history-types.ts';
import { readHistory } from '../history/history-reader.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { ExampleList, plural } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { checkoutIds, checkoutItemCount } from './history-values.ts';
import { OperationPairer } from './operation-pairer.ts';
import { ORDER_ID_BATCH, reading, type OrderParts } from './final-state.ts';

// Atomicity: a checkout is one transaction, so the final state holds all of it (the order, every
// one of its lines, its payment and its shipment) or none of it, whatever the operation's outcome
// (ok, fail or info) and whatever died meanwhile. A transaction spanning several nodes that
// commits on some and not others leaves something in between: an order with only some of its
// items, items without their order, an order without its payment. Each is one violation.

export interface PlannedCheckout {
  readonly opId: number;
  readonly orderId: number;
  /** Order lines the checkout meant to write. */
  readonly items: number;
  readonly outcome: Outcome;
  /** The error class of a fail or info ("no-completion": the harness stopped first). */
  readonly error?: string;
}

export type { OrderParts };

const NOTHING: OrderParts = { orders: 0, items: 0, payments: 0, shipments: 0 };

export type Completeness = 'complete' | 'absent' | 'partial';

export function completeness(planned: PlannedCheckout, parts: OrderParts): Completeness {
  const { orders, items, payments, shipments } = parts;
  if (orders === 0 && items === 0 && payments === 0 && shipments === 0) return 'absent';
  if (orders === 1 && items === planned.items && payments === 1 && shipments === 1) return 'complete';
  return 'partial';
}

/** Every checkout of the history with its planned line count, in history order; unfinished ones last. */
export async function* plannedCheckouts(history: HistorySource): AsyncGenerator<PlannedCheckout> {
  const pairer = new OperationPairer((f) => f === 'checkout');
  for await (const event of history) {
    const op = pairer.accept(event);
    if (op === undefined) continue;
    const ids = checkoutIds(op.args);
    const items = checkoutItemCount(op.args);
    if (ids === undefined || items === undefined) continue;
    yield { opId: op.id, orderId: ids.orderId, items, outcome: op.type, ...(op.error === undefined ? {} : { error: op.error }) };
  }
  for (const invoke of pairer.unfinished()) {
    const ids = checkoutIds(invoke.value);
    const items = checkoutItemCount(invoke.value);
    if (ids === undefined || items === undefined) continue;
    yield { opId: invoke.id, orderId: ids.orderId, items, outcome: 'info', error: 'no-completion' };
  }
}

class AtomicityTally {
  private checkouts = 0;
  private complete = 0;
  private absent = 0;
  private readonly violations: Record<Outcome, number> = { ok: 0, fail: 0, info: 0 };
  private readonly examples = new ExampleList<object>();

  add(planned: PlannedCheckout, parts: OrderParts): void {
    this.checkouts++;
    const verdict = completeness(planned, parts);
    if (verdict === 'complete') this.complete++;
    else if (verdict === 'absent') this.absent++;
    else {
      this.violations[planned.outcome]++;
      const { orderId, opId, outcome, error } = planned;
      this.examples.offer({ orderId, opId, outcome, ...(error === undefined ? {} : { error }), plannedItems: planned.items, found: parts });
    }
  }

  result(): CheckResult {
    const violations = this.violations.ok + this.violations.fail + this.violations.info;
    const counts = {
      checkouts: this.checkouts,
      complete: this.complete,
      absent: this.absent,
      violations,
      'violations-ok': this.violations.ok,
      'violations-info': this.violations.info,
      'violations-fail': this.violations.fail,
    };
    if (this.checkouts === 0) {
      return { verdict: 'unknown', counts, examples: [], explanation: 'No checkout ran, so no transaction could be half-applied.' };
    }
    const whole = `${this.complete} complete (the order, every line, its payment and its shipment) and ${this.absent} absent (nothing at all)`;
    if (violations === 0) {
      return {
        verdict: 'valid',
        counts,
        examples: [],
        explanation: `All ${plural(this.checkouts, 'checkout')} were all-or-nothing in the final state: ${whole}.`,
      };
    }
    const by = (['ok', 'info', 'fail'] as const).filter((o) => this.violations[o] > 0).map((o) => `${this.violations[o]} ${o}`);
    return {
      verdict: 'invalid',
      counts,
      examples: this.examples.items,
      explanation:
        `${plural(violations, 'checkout')} (${by.join(', ')}) left only part of their rows, e.g. an order with some of its ` +
        `items, or items and an order without the payment; ${whole}. A transaction that spans several nodes and is ` +
        "committed on some of them and not the others does this: postgres_fdw, with no two-phase commit, commits each shard's " +
        'part in turn and cannot take back those already committed when a later one fails.',
    };
  }
}

/** Answers what the final state holds of some orders; ids not in the map hold nothing. */
export type PartsLookup = (orderIds: readonly number[]) => Promise<ReadonlyMap<number, OrderParts>>;

/** The verdict from the history and the final state, judged a batch of checkouts at a time. */
export async function evaluateAtomicity(history: HistorySource, lookup: PartsLookup): Promise<CheckResult> {
  const tally = new AtomicityTally();
  let batch: PlannedCheckout[] = [];
  const judge = async (): Promise<void> => {
    const parts = await lookup(batch.map((c) => c.orderId));
    for (const checkout of batch) tally.add(checkout, parts.get(checkout.orderId) ?? NOTHING);
    batch = [];
  };
  for await (const checkout of plannedCheckouts(history)) {
    batch.push(checkout);
    if (batch.length >= ORDER_ID_BATCH) await judge();
  }
  if (batch.length > 0) await judge();
  return tally.result();
}

export const atomicityChecker: Checker = {
  name: 'atomicity',
  async check(ctx) {
    const result = await evaluateAtomicity(readHistory(ctx.historyPath), reading(ctx.finalState, 'orderParts'));
    // All or nothing admits no exception: the bound is zero partly applied checkouts, over every checkout run.
    return { ...result, bound: { maxPartialCheckouts: 0 }, coverage: { checkoutsJudged: result.counts.checkouts ?? 0, on: ctx.primaryNode ?? 'primary' } };
  },
};
