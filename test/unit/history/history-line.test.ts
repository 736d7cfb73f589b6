import { describe, expect, it } from 'vitest';
import { historyLine } from '../../../src/harness/history/history-line.ts';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';

const events: HistoryEvent[] = [
  { type: 'invoke', id: 1, f: 'checkout', worker: 3, node: 'primary', time: 12.5, value: { orderId: 7, items: [{ productId: 1, quantity: 2 }] } },
  { type: 'invoke', id: 2, f: 'view-product', worker: 0, node: 'replica1', time: 0.001, intended: 0 },
  { type: 'ok', id: 1, f: 'checkout', worker: 3, node: 'primary', time: 14, latency: 1.5, value: { orderId: 7, customerId: 9, total: 12.34 } },
  { type: 'info', id: 3, f: 'restock', worker: 1, node: 'odd "node"\n', time: 3, latency: 2, error: 'pg:40001 "quoted"' },
  { type: 'fail', id: 4, f: 'add-to-cart', worker: 1, node: 'replica2', time: 3, latency: 2, error: 'out-of-stock' },
  { type: 'phase', phase: 'run', time: 1, wallClock: '2026-11-21T00:00:00.000Z' },
];

describe('history lines', () => {
  it('are exactly the JSON of the event, field for field, whatever the names contain', () => {
    for (const event of events) expect(JSON.parse(historyLine(event))).toEqual(JSON.parse(JSON.stringify(event)));
  });
});
