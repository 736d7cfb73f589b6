import type { HistorySource } from './history-source.ts';
import { roundMs } from './checker-format.ts';
import { OperationPairer } from './operation-pairer.ts';

// Stock over time, from the history: the final state alone cannot show stock that went below
// zero and was restocked later. For each (product, warehouse), at every moment t:
//   certainly sold by t     = units of checkouts acknowledged (ok) by t
//   at most supplied by t   = initial stock + units of every restock invoked by t that did not fail
// If the first exceeds the second, stock was certainly negative at t (more units were sold than
// could have existed): an oversell, caught with its time, row and the node that acknowledged the
// checkout that crossed zero, even if a restock later brought the row back above zero.
// Both bounds lean towards "no breach" (sales counted late, restocks early), so a breach is proof.

interface Movement {
  readonly time: number;
  readonly key: string;
  /** + supplied (restock), − sold (checkout). */
  readonly units: number;
  readonly node: string;
  readonly opId: number;
}

export interface StockMovements {
  readonly movements: Movement[];
  readonly checkouts: number;
  readonly restocks: number;
}

export interface StockBreach {
  readonly productId: number;
  readonly warehouseId: number;
  /** When stock first certainly went below zero (ms since the run's origin). */
  readonly firstAt: number;
  /** The node that acknowledged the checkout that crossed zero. */
  readonly node: string;
  readonly opId: number;
  /** The lowest the stock certainly went (negative), and when. */
  readonly lowest: number;
  readonly lowestAt: number;
  /** False when later restocks (may have) brought it back to zero or above by the end. */
  readonly atEnd: boolean;
}

function num(value: unknown, name: string): number | undefined {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

/** Stock movements in the history: acknowledged sales at their ack, non-failed restocks at their invoke. */
export async function stockMovements(history: HistorySource): Promise<StockMovements> {
  const pairer = new OperationPairer((f) => f === 'checkout' || f === 'restock');
  const movements: Movement[] = [];
  let checkouts = 0;
  let restocks = 0;
  const restock = (args: unknown, time: number, node: string, opId: number) => {
    const [p, w, q] = [num(args, 'productId'), num(args, 'warehouseId'), num(args, 'quantity')];
    if (p !== undefined && w !== undefined && q !== undefined) movements.push({ time, key: `${p}:${w}`, units: q, node, opId });
  };
  for await (const event of history) {
    const op = pairer.accept(event);
    if (op === undefined || op.type === 'fail') continue;
    if (op.f === 'restock') {
      restocks++;
      restock(op.args, op.invokeTime, op.node, op.id);
      continue;
    }
    if (op.type !== 'ok') continue;
    const w = num(op.args, 'warehouseId');
    const items = (op.args as { items?: unknown } | undefined)?.items;
    if (w === undefined || !Array.isArray(items)) continue;
    checkouts++;
    for (const item of items) {
      const [p, q] = [num(item, 'productId'), num(item, 'quantity')];
      if (p !== undefined && q !== undefined) movements.push({ time: op.time, key: `${p}:${w}`, units: -q, node: op.node, opId: op.id });
    }
  }
  for (const invoke of pairer.unfinished()) {
    if (invoke.f === 'restock') {
      restocks++;
      restock(invoke.value, invoke.time, invoke.node, invoke.id);
    }
  }
  return { movements, checkouts, restocks };
}

/** Replays the movements from each row's initial stock; `initial`: "product:warehouse" → initial on hand. */
export function stockBreaches(movements: readonly Movement[], initial: ReadonlyMap<string, number>): StockBreach[] {
  // Supplies first at equal times: the bound on stock stays an upper bound.
  const ordered = [...movements].sort((a, b) => a.time - b.time || b.units - a.units);
  const level = new Map<string, number>();
  const breaches = new Map<string, { -readonly [K in keyof StockBreach]: StockBreach[K] }>();
  for (const m of ordered) {
    const start = initial.get(m.key);
    if (start === undefined) continue;
    const now = (level.get(m.key) ?? start) + m.units;
    level.set(m.key, now);
    const breach = breaches.get(m.key);
    if (now < 0 && breach === undefined) {
      const [productId, warehouseId] = m.key.split(':').map(Number) as [number, number];
      breaches.set(m.key, { productId, warehouseId, firstAt: roundMs(m.time), node: m.node, opId: m.opId, lowest: now, lowestAt: roundMs(m.time), atEnd: true });
    } else if (breach !== undefined && now < breach.lowest) {
      breach.lowest = now;
      breach.lowestAt = roundMs(m.time);
    }
  }
  for (const [key, breach] of breaches) breach.atEnd = (level.get(key) ?? 0) < 0;
  return [...breaches.values()].sort((a, b) => a.firstAt - b.firstAt);
}
