import { checkoutIds, ORDER_PAGE_LIMIT, orderHistoryRead } from '../checker/history-values.ts';
import type { CompletionEvent, HistoryEvent, InvokeEvent } from '../history/history-types.ts';
import { ednMap, kw, type EdnValue } from './edn.ts';

// The run's history as Elle's list-append workload sees the world: every customer is a list
// key, each checkout appends its order id to its customer's list, and each order-history read
// reads the list. Order ids are unique, so every appended element is unique, which is what lets
// Elle recover the version order of each list from the reads alone.
//
// What order-history returns is not quite a whole list, so reads are adjusted:
//   - rows are newest first (created_at DESC); Elle wants append order, so they are reversed;
//   - orders of the loaded dataset (ids below the first workload order id) were never appended
//     in this history, so they are dropped: each list starts empty when the run starts;
//   - the page holds at most ORDER_PAGE_LIMIT rows, so a full page may have cut off the
//     customer's oldest workload orders: unless the page reaches back into the dataset's orders
//     (all older than any workload order) or the customer's list cannot be longer than the page
//     (no more appends were begun, and not failed, before the read returned), such a read is
//     exported as :info, which Elle ignores; as after any :info, the worker then continues
//     under a new process id (process + workers), Jepsen's rule (validate-elle-history.ts checks it).
// Other operations are not exported: their effects are not a list or a register Elle can read
// back (a rating is overwritten by value, a recommendation is computed by the server).

export interface ElleExportOptions {
  /** Ids below this belong to the loaded dataset, never to a checkout of this run. */
  readonly firstWorkloadOrderId: number;
  /** Worker count: a worker whose operation ended :info continues as process + workers (Jepsen's rule). */
  readonly workers: number;
}

export interface ElleExportCounts {
  appends: number;
  reads: number;
  /** Reads exported as :info because a full page may have hidden older orders. */
  fullPageReads: number;
  /** Operations still open at the end of the history, closed with :info. */
  unfinished: number;
}

interface OpenOp {
  readonly mop: 'append' | 'r';
  readonly key: number;
  /** The appended order id; reads carry their value on completion. */
  readonly element?: number;
  readonly worker: number;
  readonly process: number;
  readonly node: string;
}

const ns = (ms: number) => Math.round(ms * 1_000_000);

function customerOf(value: unknown): number | undefined {
  const id = typeof value === 'object' && value !== null ? (value as { customerId?: unknown }).customerId : undefined;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

export class ElleHistoryConverter {
  readonly counts: ElleExportCounts = { appends: 0, reads: 0, fullPageReads: 0, unfinished: 0 };
  private readonly open = new Map<number, OpenOp>();
  /** How many times each worker's process has crashed (ended :info), for its current process id. */
  private readonly crashes = new Map<number, number>();
  /** Per customer: appends begun and not failed so far, the most the list can hold. */
  private readonly appended = new Map<number, number>();
  private index = 0;
  private lastTime = 0;

  constructor(private readonly options: ElleExportOptions) {}

  /** The EDN line for this event, or undefined when it is not part of the export. */
  accept(event: HistoryEvent): string | undefined {
    this.lastTime = Math.max(this.lastTime, event.time);
    if (event.type === 'invoke') return this.invoke(event);
    if (event.type === 'ok' || event.type === 'fail' || event.type === 'info') return this.complete(event);
    return undefined;
  }

  /** Closing lines for operations that never completed (an interrupted or failed run). */
  finish(): string[] {
    const lines = [...this.open.values()].map((op) => this.line('info', op, this.lastTime, this.mops(op, undefined), 'no-completion'));
    this.counts.unfinished += this.open.size;
    this.open.clear();
    return lines;
  }

  private invoke(event: InvokeEvent): string | undefined {
    const process = event.worker + this.options.workers * (this.crashes.get(event.worker) ?? 0);
    let op: OpenOp;
    if (event.f === 'checkout') {
      const ids = checkoutIds(event.value);
      if (ids === undefined) return undefined;
      op = { mop: 'append', key: ids.customerId, element: ids.orderId, worker: event.worker, process, node: event.node };
      this.counts.appends++;
      this.appended.set(ids.customerId, (this.appended.get(ids.customerId) ?? 0) + 1);
    } else if (event.f === 'order-history') {
      const key = customerOf(event.value);
      if (key === undefined) return undefined;
      op = { mop: 'r', key, worker: event.worker, process, node: event.node };
      this.counts.reads++;
    } else return undefined;
    this.open.set(event.id, op);
    return this.line('invoke', op, event.time, this.mops(op, undefined));
  }

  private complete(event: CompletionEvent): string | undefined {
    const op = this.open.get(event.id);
    if (op === undefined) return undefined;
    this.open.delete(event.id);
    if (op.mop === 'append' && event.type === 'fail') this.appended.set(op.key, (this.appended.get(op.key) ?? 1) - 1);
    if (op.mop === 'append' || event.type !== 'ok') return this.line(event.type, op, event.time, this.mops(op, undefined), event.error);
    const read = orderHistoryRead(event.value);
    if (read === undefined) return this.line('info', op, event.time, this.mops(op, undefined), 'unreadable-value');
    const workload = read.orderIds.filter((id) => id >= this.options.firstWorkloadOrderId);
    if (read.orderIds.length >= ORDER_PAGE_LIMIT && workload.length === read.orderIds.length && (this.appended.get(op.key) ?? 0) > workload.length) {
      this.counts.fullPageReads++;
      // Elle's rule: a process does nothing after :info, so this worker goes on as a new process.
      return this.line('info', op, event.time, this.mops(op, undefined), 'full-page');
    }
    return this.line('ok', op, event.time, this.mops(op, workload.reverse()));
  }

  private mops(op: OpenOp, read: readonly number[] | undefined): EdnValue {
    if (op.mop === 'append') return [[kw('append'), op.key, op.element ?? null]];
    return [[kw('r'), op.key, read ?? null]];
  }

  private line(type: 'invoke' | 'ok' | 'fail' | 'info', op: OpenOp, timeMs: number, value: EdnValue, error?: string): string {
    // A process whose operation ended :info may still have it in flight; Jepsen never reuses it.
    if (type === 'info') {
      this.crashes.set(op.worker, (this.crashes.get(op.worker) ?? 0) + 1);
    }
    return ednMap({
      type: kw(type),
      f: kw('txn'),
      value,
      time: ns(timeMs),
      process: op.process,
      index: this.index++,
      node: op.node,
      error,
    });
  }
}
