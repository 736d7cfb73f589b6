import type { CheckResult } from './checker-types.ts';
import { at, duration, ExampleList, plural, roundMs } from './checker-format.ts';
import { type AcknowledgedWrites, type Ack, type ValueWrite, type Sweep, WRITE_KINDS, type WriteKind } from './acknowledged-writes.ts';
import type { FinalWrites } from './final-state.ts';
import { RegionCounts, type RegionOfWorker } from './region-counts.ts';

// Every acknowledged write judged against the final state of every node that must hold it
// (acknowledged-writes.ts says what each kind must leave). A write missing on any node is lost,
// and counted once per node it is missing on (`lost.<node>`), so an order missing on one replica
// is a lost write here, not a matter left to convergence. A node that should have been read and
// could not be makes a verdict without losses unknown, naming the node.

/** Server clock vs the harness clock around an expiry sweep's cut-off; generous, it only excuses. */
const SWEEP_SLACK_MS = 50;

interface Lost {
  readonly kind: WriteKind;
  /** What identifies the write across nodes: order id, "product:warehouse", ... */
  readonly key: string;
  readonly node: string;
  readonly writes: readonly Ack[];
  readonly detail: Record<string, unknown>;
}

/** The newest acknowledged write, and every write that may have landed after it. */
function candidates(writes: readonly ValueWrite[]): ValueWrite[] | undefined {
  const acked = writes.filter((w) => w.ackedAt !== Infinity);
  if (acked.length === 0) return undefined;
  const last = acked.reduce((a, b) => (b.ackedAt > a.ackedAt ? b : a));
  return writes.filter((w) => w.ackedAt > last.invokedAt);
}

type ValueVerdict = 'kept' | 'lost' | 'unjudged' | 'nothing';
function judgeValue(writes: readonly ValueWrite[], final: string | undefined): ValueVerdict {
  const possible = candidates(writes);
  if (possible === undefined) return 'nothing';
  if (final !== undefined && possible.some((w) => w.value === final)) return 'kept';
  if (final !== undefined && possible.some((w) => w.value === undefined)) return 'unjudged';
  return 'lost';
}

function swept(add: Ack, sweeps: readonly Sweep[]): boolean {
  return sweeps.some((s) => s.completedAt - s.idleMs + SWEEP_SLACK_MS > add.invokedAt);
}

/** The fewest acknowledged restocks whose loss explains a shortfall of `units`: the largest first. */
function fewestRestocks(acked: readonly (Ack & { quantity: number })[], units: number): (Ack & { quantity: number })[] {
  const picked: (Ack & { quantity: number })[] = [];
  let covered = 0;
  for (const r of [...acked].sort((a, b) => b.quantity - a.quantity)) {
    if (covered >= units) break;
    picked.push(r);
    covered += r.quantity;
  }
  return picked;
}

export interface JudgedNode {
  readonly lost: Lost[];
  readonly unjudged: Record<WriteKind, number>;
}

export function judgeNode(node: string, writes: AcknowledgedWrites, final: FinalWrites): JudgedNode {
  const lost: Lost[] = [];
  const unjudged = Object.fromEntries(WRITE_KINDS.map((k) => [k, 0])) as Record<WriteKind, number>;
  for (const [orderId, c] of writes.checkouts) {
    if (c.acknowledged && !final.orders.has(orderId)) lost.push({ kind: 'checkout', key: String(orderId), node, writes: [c], detail: { orderId, customerId: c.customerId } });
  }
  for (const [key, r] of writes.restocks) {
    const ackedUnits = r.acked.reduce((sum, a) => sum + a.quantity, 0);
    const total = final.restocked.get(key);
    if (ackedUnits === 0 || (total !== undefined && total >= ackedUnits)) continue;
    const missingUnits = ackedUnits - (total ?? 0);
    const [productId, warehouseId] = key.split(':').map(Number);
    lost.push({ kind: 'restock', key, node, writes: fewestRestocks(r.acked, missingUnits), detail: { productId, warehouseId, acknowledgedUnits: ackedUnits, restockedTotal: total ?? null, missingUnits } });
  }
  for (const [key, adds] of writes.cartAdds) {
    const last = adds.reduce((a, b) => (b.invokedAt > a.invokedAt ? b : a));
    if (final.cartLines.has(key)) continue;
    if (swept(last, writes.sweeps)) {
      unjudged['add-to-cart'] += adds.length;
      continue;
    }
    const [customerId, productId] = key.split(':').map(Number);
    lost.push({ kind: 'add-to-cart', key, node, writes: adds, detail: { customerId, productId } });
  }
  for (const [key, ratings] of writes.ratings) {
    const verdict = judgeValue(ratings, final.ratings.get(key));
    if (verdict === 'unjudged') unjudged['rate-product']++;
    if (verdict !== 'lost') continue;
    const [customerId, productId] = key.split(':').map(Number);
    const expected = candidates(ratings)!.map((w) => w.value);
    lost.push({ kind: 'rate-product', key, node, writes: candidates(ratings)!.filter((w) => w.ackedAt !== Infinity), detail: { customerId, productId, stars: final.ratings.get(key) ?? null, expectedOneOf: expected } });
  }
  for (const [customerId, recs] of writes.recommendations) {
    const verdict = judgeValue(recs, final.recommendations.get(customerId));
    if (verdict === 'unjudged') unjudged.recommendations++;
    if (verdict !== 'lost') continue;
    const possible = candidates(recs)!;
    lost.push({ kind: 'recommendations', key: String(customerId), node, writes: possible.filter((w) => w.ackedAt !== Infinity), detail: { customerId, found: final.recommendations.get(customerId) ?? null, expectedOneOf: possible.map((w) => w.value ?? '?') } });
  }
  unjudged['expire-carts'] = writes.counts['expire-carts.acknowledged'];
  return { lost, unjudged };
}

export interface WriteVerdictInput {
  readonly writes: AcknowledgedWrites;
  /** Node → what it was judged on. */
  readonly judged: Readonly<Record<string, JudgedNode>>;
  /** Nodes that had to be read and could not be, with why. */
  readonly unread: Readonly<Record<string, string>>;
  readonly regionOfWorker?: RegionOfWorker;
}

export function writeVerdict({ writes, judged, unread, regionOfWorker }: WriteVerdictInput): CheckResult {
  const perRegion = new RegionCounts(regionOfWorker, ['acknowledged', 'lost']);
  const ackedOf = (kind: WriteKind): Ack[] => {
    switch (kind) {
      case 'checkout': return [...writes.checkouts.values()].filter((c) => c.acknowledged);
      case 'restock': return [...writes.restocks.values()].flatMap((r) => r.acked);
      case 'add-to-cart': return [...writes.cartAdds.values()].flat();
      case 'rate-product': return [...writes.ratings.values()].flat().filter((w) => w.ackedAt !== Infinity);
      case 'recommendations': return [...writes.recommendations.values()].flat().filter((w) => w.ackedAt !== Infinity);
      case 'expire-carts': return [];
    }
  };
  const counts: Record<string, number> = { acknowledged: 0, lost: 0, rpoMs: 0, indeterminate: 0 };
  for (const kind of WRITE_KINDS) {
    const n = writes.counts[`${kind}.acknowledged`];
    counts.acknowledged! += n;
    counts.indeterminate! += writes.counts[`${kind}.maybe`];
    counts[`${kind}.acknowledged`] = n;
    counts[`${kind}.lost`] = 0;
    counts[`${kind}.unjudged`] = Math.max(0, ...Object.values(judged).map((j) => j.unjudged[kind]));
    for (const a of ackedOf(kind)) perRegion.bump(a.worker, 'acknowledged');
  }
  for (const s of writes.sweeps) if (s.acknowledged) perRegion.bump(s.worker, 'acknowledged');
  // A write lost on several nodes is one lost write; lost.<node> counts it on each.
  const lostWrites = new Map<string, { lost: Lost; nodes: string[] }>();
  for (const [node, j] of Object.entries(judged)) {
    counts[`lost.${node}`] = j.lost.length;
    for (const l of j.lost) {
      const id = `${l.kind}|${l.key}`;
      const known = lostWrites.get(id);
      if (known) {
        known.nodes.push(node);
        if (l.writes.length > known.lost.writes.length) known.lost = l;
      } else lostWrites.set(id, { lost: l, nodes: [node] });
    }
  }
  let first = Infinity;
  let last = -Infinity;
  const examples = new ExampleList<object>();
  for (const { lost, nodes } of lostWrites.values()) {
    counts[`${lost.kind}.lost`]! += lost.writes.length;
    counts.lost! += lost.writes.length;
    for (const w of lost.writes) {
      perRegion.bump(w.worker, 'lost');
      first = Math.min(first, w.ackedAt);
      last = Math.max(last, w.ackedAt);
    }
    examples.offer({ kind: lost.kind, ...lost.detail, missingOn: nodes, ackedAt: lost.writes.map((w) => roundMs(w.ackedAt)), opIds: lost.writes.map((w) => w.opId) });
  }
  counts.rpoMs = counts.lost! > 0 ? roundMs(last - first) : 0;
  Object.assign(counts, perRegion.toCounts());
  const nodes = Object.keys(judged);
  const unreadNames = Object.keys(unread);
  const unjudgedTotal = WRITE_KINDS.reduce((sum, k) => sum + counts[`${k}.unjudged`]!, 0);
  const coverage = { writesJudged: Math.max(0, counts.acknowledged! - unjudgedTotal), acknowledged: counts.acknowledged!, nodesRead: nodes.length, nodes: nodes.length + unreadNames.length };
  const base = { counts, bound: { maxLost: 0 }, coverage };
  const perKind = WRITE_KINDS.filter((k) => counts[`${k}.acknowledged`]! > 0)
    .map((k) => `${k} ${counts[`${k}.lost`]} lost of ${counts[`${k}.acknowledged`]}${counts[`${k}.unjudged`]! > 0 ? ` (${counts[`${k}.unjudged`]} unjudged)` : ''}`)
    .join(', ');
  const notes = [
    counts['expire-carts.acknowledged']! > 0 ? ' expire-carts deletes carts it does not name, so its sweeps are counted, not judged.' : '',
    counts['add-to-cart.unjudged']! > 0 ? ` ${plural(counts['add-to-cart.unjudged']!, 'cart line')} could have been removed by a later expiry sweep: not judged.` : '',
    counts.indeterminate! > 0 ? ` ${plural(counts.indeterminate!, 'write')} ended with an unknown outcome: they may or may not have happened, so none counts as lost.` : '',
  ].join('');
  const where = `on ${nodes.join(', ')}`;
  if (counts.lost! > 0) {
    const span = first === last ? `at ${at(first)}` : `between ${at(first)} and ${at(last)}, a data-loss window (RPO) of ${duration(counts.rpoMs!)}`;
    return {
      verdict: 'invalid',
      ...base,
      examples: examples.items,
      explanation:
        `${counts.lost} of ${plural(counts.acknowledged!, 'acknowledged write')} are missing from the final state (${perKind}; judged ${where}): ` +
        `the database confirmed them and then forgot them. They were acknowledged ${span}. Typical causes: asynchronous replication plus ` +
        `failover (the commit reached the old primary only), or two leaders overwriting each other's row (last update wins).` +
        (unreadNames.length > 0 ? ` Not read: ${unreadNames.map((n) => `${n} (${unread[n]})`).join(', ')}.` : '') + notes,
    };
  }
  if (unreadNames.length > 0) {
    return {
      verdict: 'unknown',
      ...base,
      examples: [],
      explanation: `No acknowledged write is missing ${where}, but ${unreadNames.map((n) => `${n} (${unread[n]})`).join(', ')} could not be read, so writes lost there would go unseen.${notes}`,
    };
  }
  if (coverage.writesJudged === 0) {
    return { verdict: 'unknown', ...base, examples: [], explanation: `No acknowledged write could be judged, so none could have been lost.${notes}` };
  }
  return {
    verdict: 'valid',
    ...base,
    examples: [],
    explanation: `Every acknowledged write is in the final state ${where} (${perKind}): nothing the database confirmed was forgotten.${notes}`,
  };
}
