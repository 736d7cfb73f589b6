import { readHistory } from '../history/history-reader.ts';
import { CENTRAL_NODE } from '../scenario/regional-central-schema.ts';
import type { Checker, CheckResult } from './checker-types.ts';
import { ExampleList, plural, roundMs } from './checker-format.ts';
import type { HistorySource } from './history-source.ts';
import { checkoutOutcomes, type CheckoutOutcome } from './lost-writes-checker.ts';
import { ORDER_ID_BATCH, reading, type NodeState, type OrderCopies } from './final-state.ts';

// Central completeness (pg-regional-central): after heal, every order a region acknowledged is
// on central exactly once, with the items and payment its region holds; and it is still on the
// region that acknowledged it (the regional copy is the source of truth). Orders with an unknown
// outcome may be on central or not, but never twice; an order of the run that no checkout could
// have written ("extra") is an anomaly too. Logical replication promises this by construction
// (central's replication origin advances in the same transaction as the rows it applies): this
// check reads the rows instead of trusting the promise.

export type { OrderCopies };

/** Copies of some orders on one node; ids not in the map have none. */
export type CopiesLookup = (orderIds: readonly number[]) => Promise<ReadonlyMap<number, OrderCopies>>;

export interface CompletenessSources {
  /** Central's copies; undefined when central could not be reached (or there is none). */
  readonly central?: CopiesLookup;
  /** The copies on a regional node, by node name; undefined when that node could not be reached. */
  readonly regional: (node: string) => CopiesLookup | undefined;
  /** Run orders on central (not historical) whose id `known` rejects: count and a few ids. */
  readonly extraOnCentral?: (known: (orderId: number) => boolean) => Promise<{ count: number; examples: number[] }>;
  /** False when the topology has no central at all (geo-partitioning), as opposed to one that did not answer. */
  readonly centralExists?: boolean;
}

const NONE: OrderCopies = { copies: 0, items: 0, payments: 0 };

class CompletenessTally {
  readonly counts = {
    acknowledged: 0,
    onCentral: 0,
    missingCentral: 0,
    duplicated: 0,
    incomplete: 0,
    extra: 0,
    missingRegional: 0,
    regionalUnchecked: 0,
    indeterminate: 0,
    indeterminateOnCentral: 0,
  };
  readonly examples = new ExampleList<object>();

  judge(checkout: CheckoutOutcome, central: OrderCopies | undefined, regional: OrderCopies | undefined): void {
    const { orderId, customerId, node } = checkout;
    const example = (kind: string, extra: object = {}) => this.examples.offer({ kind, orderId, customerId, node, at: roundMs(checkout.time), ...extra });
    if (checkout.outcome === 'indeterminate') {
      this.counts.indeterminate++;
      if (central && central.copies === 1) this.counts.indeterminateOnCentral++;
      if (central && (central.copies > 1 || central.payments > 1)) {
        this.counts.duplicated++;
        example('duplicated', central);
      }
      return;
    }
    this.counts.acknowledged++;
    if (regional === undefined) this.counts.regionalUnchecked++;
    else if (regional.copies === 0) {
      this.counts.missingRegional++;
      example('missing-regional');
    }
    if (central === undefined) return;
    if (central.copies === 0) {
      this.counts.missingCentral++;
      example('missing-central');
    } else if (central.copies > 1 || central.payments > 1) {
      this.counts.duplicated++;
      example('duplicated', central);
    } else if (!sameRows(central, regional)) {
      this.counts.incomplete++;
      example('incomplete', { central, regional: regional ?? null });
    } else this.counts.onCentral++;
  }
}

/** Central's copy matches the region's; without the region's, it has lines and one payment. */
function sameRows(central: OrderCopies, regional: OrderCopies | undefined): boolean {
  if (regional === undefined || regional.copies === 0) return central.items > 0 && central.payments === 1;
  return central.items === regional.items && central.payments === regional.payments;
}

function verdictOf(tally: CompletenessTally, centralChecked: boolean, centralExists = true): CheckResult {
  const c = tally.counts;
  const counts: Record<string, number> = { ...c };
  const examples = tally.examples.items;
  const unknownNote = c.indeterminate === 0 ? '' : ` ${plural(c.indeterminate, 'checkout')} had an unknown outcome; ${c.indeterminateOnCentral} of them reached central, which is correct either way.`;
  const regionalNote = c.regionalUnchecked === 0 ? '' : ` ${c.regionalUnchecked} could not be looked up on their region (the node did not answer).`;
  const regionalLoss = c.missingRegional === 0 ? '' : ` ${plural(c.missingRegional, 'acknowledged order')} vanished from the region that acknowledged it.`;
  if (!centralExists) {
    // Geo-partitioning: no central by design; what is left to check is each region's own copy.
    const checkedAll = c.regionalUnchecked === 0 && c.acknowledged > 0;
    return {
      verdict: c.missingRegional > 0 ? 'invalid' : checkedAll ? 'valid' : 'unknown',
      counts,
      examples,
      explanation: `This topology has no central node (geo-partitioning): ${c.acknowledged - c.missingRegional - c.regionalUnchecked} of ${plural(c.acknowledged, 'acknowledged order')} are on the region that acknowledged them.${regionalLoss}${regionalNote}`,
    };
  }
  if (!centralChecked) {
    return {
      verdict: c.missingRegional > 0 ? 'invalid' : 'unknown',
      counts,
      examples,
      explanation: `No node named ${CENTRAL_NODE} answered, so central's copy could not be checked (a topology without central has none to check); ${c.acknowledged - c.missingRegional - c.regionalUnchecked} of ${plural(c.acknowledged, 'acknowledged order')} are on the region that acknowledged them.${regionalLoss}${regionalNote}`,
    };
  }
  if (c.acknowledged === 0 && c.extra === 0 && c.duplicated === 0) {
    return { verdict: 'unknown', counts, examples, explanation: `No checkout was acknowledged by a region, so there was nothing central had to hold.${unknownNote}` };
  }
  const anomalies = c.missingCentral + c.duplicated + c.incomplete + c.extra + c.missingRegional;
  if (anomalies === 0) {
    return {
      verdict: 'valid',
      counts,
      examples,
      explanation: `All ${plural(c.acknowledged, 'acknowledged order')} are on central exactly once, with the lines and payment their region holds, and no order of the run is on central that no checkout wrote.${unknownNote}${regionalNote}`,
    };
  }
  const parts = [
    c.missingCentral > 0 ? `${c.missingCentral} of ${c.acknowledged} acknowledged orders never reached central` : '',
    c.duplicated > 0 ? `${c.duplicated} are on central more than once` : '',
    c.incomplete > 0 ? `${c.incomplete} are on central without all their lines or their payment` : '',
    c.extra > 0 ? `${c.extra} run orders on central were written by no checkout` : '',
  ].filter((part) => part !== '');
  return {
    verdict: 'invalid',
    counts,
    examples,
    explanation: `Central's view is not the regions' orders exactly once: ${parts.join('; ') || 'see below'}.${regionalLoss}${unknownNote}${regionalNote}`,
  };
}

/** The verdict from the history and lookups, one batch of checkouts held at a time. */
export async function evaluateCentralCompleteness(history: HistorySource, sources: CompletenessSources): Promise<CheckResult> {
  const tally = new CompletenessTally();
  const mayExist = new Set<number>();
  let batch: CheckoutOutcome[] = [];
  const judge = async () => {
    const ids = batch.map((checkout) => checkout.orderId);
    const central = await sources.central?.(ids);
    const byNode = new Map<string, ReadonlyMap<number, OrderCopies> | undefined>();
    for (const node of new Set(batch.filter((c) => c.outcome === 'acknowledged').map((c) => c.node))) {
      const lookup = sources.regional(node);
      byNode.set(node, lookup ? await lookup(batch.filter((c) => c.node === node).map((c) => c.orderId)) : undefined);
    }
    for (const checkout of batch) {
      const regional = byNode.get(checkout.node);
      tally.judge(checkout, central ? (central.get(checkout.orderId) ?? NONE) : undefined, regional ? (regional.get(checkout.orderId) ?? NONE) : undefined);
    }
    batch = [];
  };
  for await (const checkout of checkoutOutcomes(history)) {
    mayExist.add(checkout.orderId);
    batch.push(checkout);
    if (batch.length >= ORDER_ID_BATCH) await judge();
  }
  if (batch.length > 0) await judge();
  if (sources.central && sources.extraOnCentral) {
    const extra = await sources.extraOnCentral((id) => mayExist.has(id));
    tally.counts.extra = extra.count;
    for (const orderId of extra.examples) tally.examples.offer({ kind: 'extra', orderId });
  }
  return verdictOf(tally, sources.central !== undefined, sources.centralExists ?? true);
}

export const centralCompletenessChecker: Checker = {
  name: 'central-completeness',
  async check(ctx) {
    const nodes: Readonly<Record<string, NodeState>> = ctx.nodeStates ?? {};
    const central = nodes[CENTRAL_NODE];
    const result = await evaluateCentralCompleteness(readHistory(ctx.historyPath), {
      ...(central ? { central: reading(central, 'orderCopies'), extraOnCentral: reading(central, 'extraRunOrders') } : {}),
      ...(ctx.nodeNames ? { centralExists: ctx.nodeNames.includes(CENTRAL_NODE) } : {}),
      regional: (node) => (nodes[node] ? reading(nodes[node], 'orderCopies') : undefined),
    });
    // Exactly once on central, no tolerance; coverage: the acknowledged orders it could look up.
    const counts = result.counts;
    return {
      ...result,
      bound: { missingCentral: 0, missingRegional: 0, duplicated: 0, incomplete: 0, extra: 0 },
      coverage: { acknowledged: counts.acknowledged ?? 0, regionalUnchecked: counts.regionalUnchecked ?? 0, centralRead: central ? 'yes' : 'no' },
    };
  },
};
