import { readHistory } from '../history/history-reader.ts';
import { gatherWrites } from './acknowledged-writes.ts';
import type { CheckContext, Checker, CheckResult } from './checker-types.ts';
import { judgeNode, type JudgedNode, writeVerdict } from './write-judgement.ts';
import { at, duration, ExampleList, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { checkoutIds } from './history-values.ts';
import { OperationPairer } from './operation-pairer.ts';
import { ORDER_ID_BATCH, reading } from './final-state.ts';
import { RegionCounts, type RegionOfWorker } from './region-counts.ts';

// Lost writes. On PostgreSQL, every acknowledged write kind is judged on every node that holds
// full copies (acknowledged-writes.ts, write-judgement.ts; the checker at the end of this file).
// evaluateLostWrites below is the checkout-only judgement against one node, which MongoDB uses:
// a checkout the database acknowledged (ok) whose order is not in the final primary. That is the durability promise broken, and the classic way to break it is
// asynchronous replication plus failover: the commit reached the old primary only.
//
// A checkout whose outcome is unknown (info, or never completed because the harness stopped)
// may or may not have committed; either is correct, so it is reported apart and never counted
// as lost. How many of them did commit is still worth showing: it is why `info` exists.

export interface CheckoutOutcome {
  readonly outcome: 'acknowledged' | 'indeterminate';
  readonly opId: number;
  readonly orderId: number;
  readonly customerId: number;
  readonly node: string;
  /** The worker that got the answer (or, never completed, that asked). */
  readonly worker: number;
  /** Acknowledged: when the ok arrived. Indeterminate: when the info arrived, or the invoke if nothing did. */
  readonly time: number;
  /** Indeterminate only: the error class, or "no-completion". */
  readonly error?: string;
}

/** The checkouts whose order must, or may, exist, in history order; failed ones are left out. */
export async function* checkoutOutcomes(history: HistorySource): AsyncGenerator<CheckoutOutcome> {
  const pairer = new OperationPairer((f) => f === 'checkout');
  for await (const event of history) {
    const op = pairer.accept(event);
    if (op === undefined || op.type === 'fail') continue;
    // The invoke's arguments always carry the ids; a completion value may lack them.
    const ids = checkoutIds(op.args) ?? checkoutIds(op.value);
    if (ids === undefined) continue;
    const base = { opId: op.id, ...ids, node: op.node, worker: op.worker, time: op.time };
    yield op.type === 'ok' ? { outcome: 'acknowledged', ...base } : { outcome: 'indeterminate', ...base, error: op.error ?? 'info' };
  }
  for (const invoke of pairer.unfinished()) {
    const ids = checkoutIds(invoke.value);
    if (ids === undefined) continue;
    yield { outcome: 'indeterminate', opId: invoke.id, ...ids, node: invoke.node, worker: invoke.worker, time: invoke.time, error: 'no-completion' };
  }
}

/** Counts as checkouts are judged one by one, keeping only what the result shows. */
class LostWritesTally {
  private acknowledged = 0;
  private lost = 0;
  private indeterminate = 0;
  private indeterminateCommitted = 0;
  private firstLostAt = Infinity;
  private lastLostAt = -Infinity;
  private readonly examples = new ExampleList<object>();
  private readonly perRegion: RegionCounts;

  constructor(regionOfWorker?: RegionOfWorker) {
    this.perRegion = new RegionCounts(regionOfWorker, ['acknowledged', 'lost']);
  }

  add(checkout: CheckoutOutcome, committed: boolean): void {
    if (checkout.outcome === 'indeterminate') {
      this.indeterminate++;
      if (committed) this.indeterminateCommitted++;
      return;
    }
    this.acknowledged++;
    this.perRegion.bump(checkout.worker, 'acknowledged');
    if (committed) return;
    this.lost++;
    this.perRegion.bump(checkout.worker, 'lost');
    this.firstLostAt = Math.min(this.firstLostAt, checkout.time);
    this.lastLostAt = Math.max(this.lastLostAt, checkout.time);
    const { orderId, customerId, node, opId } = checkout;
    this.examples.offer({ orderId, customerId, ackedAt: roundMs(checkout.time), node, opId });
  }

  result(): CheckResult {
    const rpoMs = this.lost > 0 ? roundMs(this.lastLostAt - this.firstLostAt) : 0;
    const counts = {
      acknowledged: this.acknowledged,
      lost: this.lost,
      rpoMs,
      indeterminate: this.indeterminate,
      indeterminateCommitted: this.indeterminateCommitted,
      ...this.perRegion.toCounts(),
    };
    // Checkouts only, against one node (MongoDB's final primary): said so in the coverage.
    const judged = { bound: { maxLost: 0 }, coverage: { writesJudged: this.acknowledged, acknowledged: this.acknowledged, kinds: 'checkout', nodesRead: 1 } };
    const uncertain =
      this.indeterminate === 0
        ? ''
        : ` ${plural(this.indeterminate, 'checkout')} ended with an unknown outcome (the connection broke or timed out ` +
          `around COMMIT); ${this.indeterminateCommitted} of them did commit and ${this.indeterminate - this.indeterminateCommitted} ` +
          'did not. Both are correct for an unknown outcome, so none of them counts as lost.';
    if (this.acknowledged === 0) {
      return {
        verdict: 'unknown',
        counts,
        ...judged,
        examples: [],
        explanation: `No checkout was acknowledged, so no committed order could have been lost.${uncertain}`,
      };
    }
    if (this.lost === 0) {
      return {
        verdict: 'valid',
        counts,
        ...judged,
        examples: [],
        explanation: `All ${plural(this.acknowledged, 'acknowledged checkout')} are in the final primary's orders table: nothing the database confirmed was forgotten.${uncertain}`,
      };
    }
    const span =
      this.lost === 1
        ? `at ${at(this.firstLostAt)}`
        : `between ${at(this.firstLostAt)} and ${at(this.lastLostAt)}, a data-loss window (RPO) of ${duration(rpoMs)}`;
    return {
      verdict: 'invalid',
      counts,
      ...judged,
      examples: this.examples.items,
      explanation:
        `${this.lost} of ${plural(this.acknowledged, 'acknowledged checkout')} are missing from the final primary: the ` +
        `database told the customer "order placed" and then forgot the order. They were acknowledged ${span}. ` +
        'The usual cause is asynchronous replication plus failover: the commit had reached the old primary but not ' +
        `the replica that was promoted.${uncertain}`,
    };
  }
}

/** Answers which of some order ids exist in the final state. */
export type CommittedLookup = (orderIds: readonly number[]) => Promise<ReadonlySet<number>>;

/**
 * The verdict from the history and the final state's order ids: a set (tests, small runs) or a
 * lookup asked in batches, so only one batch of checkouts is held at a time.
 */
export async function evaluateLostWrites(
  history: HistorySource,
  committed: ReadonlySet<number> | CommittedLookup,
  regionOfWorker?: RegionOfWorker,
): Promise<CheckResult> {
  const tally = new LostWritesTally(regionOfWorker);
  if (typeof committed !== 'function') {
    for await (const checkout of checkoutOutcomes(history)) tally.add(checkout, committed.has(checkout.orderId));
    return tally.result();
  }
  let batch: CheckoutOutcome[] = [];
  const judge = async (): Promise<void> => {
    const present = await committed(batch.map((checkout) => checkout.orderId));
    for (const checkout of batch) tally.add(checkout, present.has(checkout.orderId));
    batch = [];
  };
  for await (const checkout of checkoutOutcomes(history)) {
    batch.push(checkout);
    if (batch.length >= ORDER_ID_BATCH) await judge();
  }
  if (batch.length > 0) await judge();
  return tally.result();
}

/**
 * The nodes every acknowledged write must be on: all of them, except where nodes hold different
 * rows by design (copyComparisons: shards), where the final-state connection sees every row.
 */
async function judgeEveryNode(ctx: CheckContext, writes: Awaited<ReturnType<typeof gatherWrites>>) {
  const judged: Record<string, JudgedNode> = {};
  const unread: Record<string, string> = {};
  const primary = ctx.primaryNode ?? 'primary';
  const targets: [string, CheckContext['finalState'] | undefined][] = ctx.copyComparisons
    ? [[primary, ctx.finalState]]
    : (ctx.nodeNames ?? [primary]).map((name) => [name, name === primary ? ctx.finalState : ctx.nodeStates?.[name]]);
  for (const [name, node] of targets) {
    if (node === undefined) {
      unread[name] = 'not running or refused the connection at final-state time';
      continue;
    }
    try {
      judged[name] = judgeNode(name, writes, await reading(node, 'finalWrites')(writes));
    } catch (error) {
      unread[name] = `reading it failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return { judged, unread };
}

export const lostWritesChecker: Checker = {
  name: 'lost-writes',
  async check(ctx) {
    const writes = await gatherWrites(readHistory(ctx.historyPath));
    const { judged, unread } = await judgeEveryNode(ctx, writes);
    return writeVerdict({ writes, judged, unread, ...(ctx.regionOfWorker ? { regionOfWorker: ctx.regionOfWorker } : {}) });
  },
};
