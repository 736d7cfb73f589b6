import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { HistoryEvent, Outcome, Phase } from '../../../src/harness/history/history-types.ts';
import type { OperationName } from '../../../src/harness/scenario/schema.ts';
import { scratchDir } from '../../support/scratch-dir.ts';
import type { NodeState } from '../../../src/harness/checker/final-state.ts';
import { pgNodeState } from '../../../src/topologies/postgres/final-state/pg-node-state.ts';

// Crafted histories for checker tests: each helper adds what the driver or the fault runner
// would record, and build() orders events by time exactly as the writer appends them.

export interface OpSpec {
  readonly at: number;
  /** Completion time minus invoke time. */
  readonly took?: number;
  /** 'none': invoked, never completed (the harness was killed). */
  readonly outcome?: Outcome | 'none';
  readonly node?: string;
  readonly worker?: number;
  readonly args?: unknown;
  readonly value?: unknown;
  readonly error?: string;
}

export class HistoryBuilder {
  private nextId = 1;
  private readonly events: HistoryEvent[] = [];

  op(f: OperationName, spec: OpSpec): number {
    const id = this.nextId++;
    const { at, took = 2, outcome = 'ok', node = 'primary', worker = 0 } = spec;
    this.events.push({ type: 'invoke', id, f, worker, node, time: at, value: spec.args });
    if (outcome === 'none') return id;
    this.events.push({
      type: outcome,
      id,
      f,
      worker,
      node,
      time: at + took,
      latency: took,
      ...(spec.error === undefined ? (outcome === 'ok' ? {} : { error: 'connection' }) : { error: spec.error }),
      ...(spec.value === undefined ? {} : { value: spec.value }),
    });
    return id;
  }

  /** A checkout; ok completions carry the order as checkout-pg.ts reports it. */
  checkout(spec: Omit<OpSpec, 'args' | 'value'> & { readonly orderId: number; readonly customerId: number }): number {
    const args = { orderId: spec.orderId, customerId: spec.customerId, warehouseId: 1, items: [{ productId: 5, quantity: 1 }], paymentMethod: 'card', carrier: 'UPS' };
    const value = { orderId: spec.orderId, customerId: spec.customerId, items: [{ productId: 5, warehouseId: 1, quantity: 1 }], total: 25 };
    return this.op('checkout', { ...spec, args, value });
  }

  orderHistory(spec: Omit<OpSpec, 'args' | 'value'> & { readonly customerId: number; readonly orderIds: readonly number[] }): number {
    const { customerId, orderIds } = spec;
    return this.op('order-history', { node: 'replica1', ...spec, args: { customerId }, value: spec.outcome === undefined || spec.outcome === 'ok' ? { customerId, orderIds } : undefined });
  }

  /** A write other than checkout (add-to-cart), for availability. */
  write(at: number, spec: Omit<OpSpec, 'at'> = {}): number {
    return this.op('add-to-cart', { at, args: { customerId: 1, productId: 2, quantity: 1 }, value: { cartId: 1 }, ...spec });
  }

  /** Writes every `every` ms in [from, to). */
  writes(from: number, to: number, every: number, spec: Omit<OpSpec, 'at'> = {}): this {
    for (let t = from; t < to; t += every) this.write(t, spec);
    return this;
  }

  fault(id: number, kind: string, targets: readonly string[], start: number, end?: number): this {
    this.events.push({ type: 'fault', action: 'start', id, kind, targets, time: start, wallClock: wall(start) });
    if (end !== undefined) this.faultEnd(id, kind, targets, end);
    return this;
  }

  /** A heal on its own, e.g. one that comes after the load stopped. */
  faultEnd(id: number, kind: string, targets: readonly string[], time: number): this {
    this.events.push({ type: 'fault', action: 'end', id, kind, targets, time, wallClock: wall(time) });
    return this;
  }

  failover(from: string, to: string, time: number, detectedAt: number): this {
    this.events.push({ type: 'failover', from, to, time, detectedAt });
    return this;
  }

  lag(node: string, time: number, stalenessMs: number, replayLagMs?: number): this {
    this.events.push({ type: 'lag', node, time, stalenessMs, ...(replayLagMs === undefined ? {} : { replayLagMs }) });
    return this;
  }

  phase(phase: Phase, time: number): this {
    this.events.push({ type: 'phase', phase, time, wallClock: wall(time) });
    return this;
  }

  /** Time order; ties keep insertion order (Array.prototype.sort is stable). */
  build(): HistoryEvent[] {
    return [...this.events].sort((a, b) => a.time - b.time);
  }

  jsonl(): string {
    return this.build().map((event) => `${JSON.stringify(event)}\n`).join('');
  }
}

function wall(time: number): string {
  return new Date(Date.UTC(2026, 0, 1) + time).toISOString();
}

export async function writeHistoryFile(content: string): Promise<string> {
  const dir = await scratchDir('checker');
  const path = join(dir, 'history.jsonl');
  await writeFile(path, content);
  return path;
}

type Rows = readonly Record<string, unknown>[];

/** A pg client answering from a function of the SQL text; enough for the checkers' few queries. */
export function fakeClient(answer: (text: string, values: readonly unknown[]) => Rows): pg.ClientBase {
  const query = async (config: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
    const text = typeof config === 'string' ? config : config.text;
    const rows = answer(text, (typeof config === 'string' ? values : config.values) ?? []);
    return { rows, rowCount: rows.length };
  };
  // The checkers only call query(); the rest of ClientBase is never touched.
  return { query } as unknown as pg.ClientBase;
}

/** A PostgreSQL node's final state (the FinalState port) over a fake client: what checkers read. */
export function fakeNode(answer: (text: string, values: readonly unknown[]) => Rows): NodeState {
  return pgNodeState(fakeClient(answer));
}
