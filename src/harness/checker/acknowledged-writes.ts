import type { OperationName } from '../scenario/schema.ts';
import type { HistorySource } from './history-source.ts';
import { checkoutIds } from './history-values.ts';
import { type Operation, OperationPairer } from './operation-pairer.ts';

// Every write the workload issues, gathered from the history in one pass, as what each must have
// left in the final state (judged in write-judgement.ts). Fails are dropped (certainly not
// applied); info and never-completed writes are "maybe": they may explain extra effects, never
// count as lost.
//
// What each kind must leave behind:
// - checkout: its order row.
// - restock: restocked_total of its (product, warehouse) at least the sum of acknowledged restocks.
// - add-to-cart: its cart line, unless an expiry sweep that ran after it could have removed the
//   cart (then it is unjudged: expire-carts does not say which carts it deleted).
// - rate-product / recommendations: the row holds the value of the newest acknowledged write, or
//   of a write that may have landed after it (concurrent or unacknowledged); a maybe-write with an
//   unknown value makes that key unjudged.
// - expire-carts: deletes carts it does not name, so nothing in the final state can be pinned on
//   one sweep: counted, never judged, and said so.

export const WRITE_KINDS = ['checkout', 'restock', 'add-to-cart', 'rate-product', 'recommendations', 'expire-carts'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

export interface Ack {
  readonly opId: number;
  readonly worker: number;
  readonly node: string;
  readonly invokedAt: number;
  /** Infinity for a maybe-write. */
  readonly ackedAt: number;
}

/** A write of a value to one key: the final value must be one a write could have left last. */
export interface ValueWrite extends Ack {
  /** undefined: a maybe-write whose value is not known (recommendations computes it). */
  readonly value: string | undefined;
}

export interface Sweep {
  readonly worker: number;
  readonly invokedAt: number;
  /** Infinity when it never completed. */
  readonly completedAt: number;
  readonly idleMs: number;
  readonly acknowledged: boolean;
}

export interface AcknowledgedWrites {
  readonly checkouts: Map<number, Ack & { readonly customerId: number; readonly acknowledged: boolean }>;
  /** "product:warehouse" → acknowledged restocks (quantity each) and units maybe added. */
  readonly restocks: Map<string, { readonly acked: (Ack & { readonly quantity: number })[]; maybeUnits: number }>;
  /** "customer:product" → acknowledged add-to-cart. */
  readonly cartAdds: Map<string, (Ack & { readonly customerId: number })[]>;
  readonly sweeps: Sweep[];
  /** "customer:product" → ratings (stars as text). */
  readonly ratings: Map<string, ValueWrite[]>;
  /** customer → recommendations written ("{1,2}"). */
  readonly recommendations: Map<number, ValueWrite[]>;
  readonly counts: Record<`${WriteKind}.${'acknowledged' | 'maybe'}`, number>;
}

const WANTED: ReadonlySet<OperationName> = new Set(WRITE_KINDS);

function int(value: unknown, name: string): number | undefined {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function pgArrayText(ids: readonly number[]): string {
  return `{${ids.join(',')}}`;
}

function record(acc: AcknowledgedWrites, op: Operation | (Omit<Operation, 'type' | 'time'> & { type: 'none'; time: number })): void {
  if (op.type === 'fail') return;
  const acknowledged = op.type === 'ok';
  const kind = op.f as WriteKind;
  acc.counts[`${kind}.${acknowledged ? 'acknowledged' : 'maybe'}`]++;
  const ack: Ack = { opId: op.id, worker: op.worker, node: op.node, invokedAt: op.invokeTime, ackedAt: acknowledged ? op.time : Infinity };
  const args = op.args;
  switch (kind) {
    case 'checkout': {
      const ids = checkoutIds(args) ?? checkoutIds(op.value);
      if (ids) acc.checkouts.set(ids.orderId, { ...ack, customerId: ids.customerId, acknowledged });
      return;
    }
    case 'restock': {
      const [p, w, q] = [int(args, 'productId'), int(args, 'warehouseId'), int(args, 'quantity')];
      if (p === undefined || w === undefined || q === undefined) return;
      const key = `${p}:${w}`;
      const entry = acc.restocks.get(key) ?? { acked: [], maybeUnits: 0 };
      acc.restocks.set(key, entry);
      if (acknowledged) entry.acked.push({ ...ack, quantity: q });
      else entry.maybeUnits += q;
      return;
    }
    case 'add-to-cart': {
      const [c, p] = [int(args, 'customerId'), int(args, 'productId')];
      if (acknowledged && c !== undefined && p !== undefined) push(acc.cartAdds, `${c}:${p}`, { ...ack, customerId: c });
      return;
    }
    case 'expire-carts': {
      const idleMs = typeof (args as { idleMs?: unknown })?.idleMs === 'number' ? (args as { idleMs: number }).idleMs : 0;
      acc.sweeps.push({ worker: op.worker, invokedAt: op.invokeTime, completedAt: acknowledged || op.type === 'info' ? op.time : Infinity, idleMs, acknowledged });
      return;
    }
    case 'rate-product': {
      const [c, p, stars] = [int(args, 'customerId'), int(args, 'productId'), int(args, 'stars')];
      if (c !== undefined && p !== undefined && stars !== undefined) push(acc.ratings, `${c}:${p}`, { ...ack, value: String(stars) });
      return;
    }
    case 'recommendations': {
      const c = int(args, 'customerId');
      if (c === undefined) return;
      const ids = (op.value as { productIds?: unknown } | undefined)?.productIds;
      const value = acknowledged && Array.isArray(ids) && ids.every((id) => Number.isSafeInteger(id)) ? pgArrayText(ids as number[]) : undefined;
      push(acc.recommendations, c, { ...ack, value });
      return;
    }
  }
}

/** One pass over the history: every write that must, or may, have left something in the final state. */
export async function gatherWrites(history: HistorySource): Promise<AcknowledgedWrites> {
  const counts = Object.fromEntries(WRITE_KINDS.flatMap((k) => [[`${k}.acknowledged`, 0], [`${k}.maybe`, 0]])) as AcknowledgedWrites['counts'];
  const acc: AcknowledgedWrites = { checkouts: new Map(), restocks: new Map(), cartAdds: new Map(), sweeps: [], ratings: new Map(), recommendations: new Map(), counts };
  const pairer = new OperationPairer((f) => WANTED.has(f));
  for await (const event of history) {
    const op = pairer.accept(event);
    if (op) record(acc, op);
  }
  for (const invoke of pairer.unfinished()) {
    record(acc, { id: invoke.id, f: invoke.f, worker: invoke.worker, node: invoke.node, invokeTime: invoke.time, time: Infinity, type: 'none', args: invoke.value, value: undefined });
  }
  return acc;
}
