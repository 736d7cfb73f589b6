import { describe, expect, it } from 'vitest';
import { ElleHistoryConverter } from '../../../src/harness/export/elle-history.ts';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';

// Orders below 1001 belong to the loaded dataset; two workers.
const FIRST = 1001;
const convert = (events: HistoryEvent[]) => {
  const converter = new ElleHistoryConverter({ firstWorkloadOrderId: FIRST, workers: 2 });
  const lines = events.flatMap((event) => converter.accept(event) ?? []);
  return { lines: [...lines, ...converter.finish()], counts: converter.counts };
};

const checkout = (id: number, worker: number, time: number, customerId: number, orderId: number): HistoryEvent => ({
  type: 'invoke',
  id,
  f: 'checkout',
  worker,
  node: 'primary',
  time,
  value: { orderId, customerId, warehouseId: 1, items: [{ productId: 3, quantity: 1 }], paymentMethod: 'card', carrier: 'ups' },
});
const readInvoke = (id: number, worker: number, time: number, customerId: number): HistoryEvent => ({
  type: 'invoke',
  id,
  f: 'order-history',
  worker,
  node: 'replica1',
  time,
  value: { customerId },
});
const done = (type: 'ok' | 'fail' | 'info', id: number, f: 'checkout' | 'order-history', worker: number, time: number, value?: unknown, error?: string): HistoryEvent => ({
  type,
  id,
  f,
  worker,
  node: f === 'checkout' ? 'primary' : 'replica1',
  time,
  latency: 1,
  ...(error === undefined ? {} : { error }),
  value,
});

describe('ElleHistoryConverter (list-append: customer = key, order id = element)', () => {
  it('turns checkouts into appends and order-history reads into oldest-first reads without dataset orders', () => {
    const { lines } = convert([
      checkout(1, 0, 1.5, 7, 1001),
      readInvoke(2, 1, 1.6, 7),
      done('ok', 1, 'checkout', 0, 2.25, { orderId: 1001, customerId: 7, total: 12 }),
      // Newest first, as the query returns them, with two orders from the dataset at the end.
      done('ok', 2, 'order-history', 1, 3, { customerId: 7, orderIds: [1003, 1001, 12, 5] }),
    ]);
    expect(lines).toEqual([
      '{:type :invoke, :f :txn, :value [[:append 7 1001]], :time 1500000, :process 0, :index 0, :node "primary"}',
      '{:type :invoke, :f :txn, :value [[:r 7 nil]], :time 1600000, :process 1, :index 1, :node "replica1"}',
      '{:type :ok, :f :txn, :value [[:append 7 1001]], :time 2250000, :process 0, :index 2, :node "primary"}',
      '{:type :ok, :f :txn, :value [[:r 7 [1001 1003]]], :time 3000000, :process 1, :index 3, :node "replica1"}',
    ]);
  });

  it('keeps fail and info, and moves a worker to a new process after an info (Jepsen: process + workers)', () => {
    const { lines } = convert([
      checkout(1, 1, 1, 7, 1001),
      done('fail', 1, 'checkout', 1, 2, { orderId: 1001, customerId: 7 }, 'out-of-stock'),
      checkout(2, 1, 3, 8, 1003),
      done('info', 2, 'checkout', 1, 4, { orderId: 1003, customerId: 8 }, 'timeout'),
      readInvoke(3, 1, 5, 8),
      done('info', 3, 'order-history', 1, 6, undefined, 'timeout'),
      readInvoke(4, 1, 7, 8),
    ]);
    expect(lines.map((line) => line.match(/:type :(\w+).*:process (\d+)/)?.slice(1).join(' '))).toEqual([
      'invoke 1',
      'fail 1',
      'invoke 1',
      'info 1',
      'invoke 3',
      'info 3',
      'invoke 5',
      'info 5', // never completed: closed by finish()
    ]);
    expect(lines[1]).toContain(':value [[:append 7 1001]]');
    expect(lines[1]).toContain(':error "out-of-stock"');
    expect(lines[5]).toContain(':value [[:r 8 nil]]');
    expect(lines[7]).toContain(':error "no-completion"');
  });

  it('exports a full page as :info (a new process after it) unless it reaches back into the dataset orders', () => {
    // 21 orders of customer 9 were appended, so a page of 20 may hide the oldest.
    const appends = Array.from({ length: 21 }, (_, i) => [checkout(100 + i, 1, 0.01 * i, 9, 1080 + i), done('ok', 100 + i, 'checkout', 1, 0.01 * i + 0.005)]).flat();
    const full = Array.from({ length: 20 }, (_, i) => 1100 - i);
    const reachesDataset = [...full.slice(0, 19), 42];
    const { lines, counts } = convert([
      ...appends,
      readInvoke(1, 0, 1, 9),
      done('ok', 1, 'order-history', 0, 2, { customerId: 9, orderIds: full }),
      readInvoke(2, 0, 3, 9),
      done('ok', 2, 'order-history', 0, 4, { customerId: 9, orderIds: reachesDataset }),
    ]);
    const reads = lines.slice(42);
    expect(reads[1]).toBe('{:type :info, :f :txn, :value [[:r 9 nil]], :time 2000000, :process 0, :index 43, :node "replica1", :error "full-page"}');
    // Elle's rule: nothing more on a process after its :info; worker 0 goes on as process 0 + 2 workers.
    expect(reads[2]).toContain(':process 2');
    expect(reads[3]).toContain(`:value [[:r 9 [${reachesDataset.slice(0, 19).reverse().join(' ')}]]]`);
    expect(counts).toEqual({ appends: 21, reads: 2, fullPageReads: 1, unfinished: 0 });
  });

  it('exports a full page as an ok read when the customer cannot have more orders than it lists', () => {
    const appends = Array.from({ length: 20 }, (_, i) => [checkout(100 + i, 1, 0.01 * i, 9, 1081 + i), done('ok', 100 + i, 'checkout', 1, 0.01 * i + 0.005)]).flat();
    const full = Array.from({ length: 20 }, (_, i) => 1100 - i);
    const { lines, counts } = convert([...appends, readInvoke(1, 0, 1, 9), done('ok', 1, 'order-history', 0, 2, { customerId: 9, orderIds: full })]);
    expect(lines.at(-1)).toContain(':type :ok');
    expect(counts.fullPageReads).toBe(0);
  });

  it('leaves out every other operation and event', () => {
    const { lines } = convert([
      { type: 'invoke', id: 1, f: 'view-product', worker: 0, node: 'replica1', time: 1, value: { productId: 3 } },
      { type: 'ok', id: 1, f: 'view-product', worker: 0, node: 'replica1', time: 2, latency: 1, value: { found: true } },
      { type: 'fault', action: 'start', id: 1, kind: 'kill', targets: ['primary'], time: 3, wallClock: '' },
      { type: 'lag', node: 'replica1', time: 4, stalenessMs: 3 },
      // A completion without its invoke (malformed, or cut off at the start) is not invented either.
      done('ok', 9, 'checkout', 0, 5, { orderId: 1001, customerId: 7 }),
    ]);
    expect(lines).toEqual([]);
  });
});
