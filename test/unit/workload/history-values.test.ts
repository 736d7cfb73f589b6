import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistory } from '../../../src/harness/history/history-reader.ts';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { OPERATION_NAMES, type OperationName, Workload as WorkloadSchema } from '../../../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { OP_OK_SCHEMAS } from '../../../src/harness/workload/ecommerce/op-results.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

// Checkers read operation values back from history.jsonl: every value the workload produces must
// survive the trip through the history writer (binary on the driver's thread, JSON lines from
// its worker thread) unchanged.
const spec = WorkloadSchema.parse({ operations: Object.fromEntries(OPERATION_NAMES.map((f) => [f, { weight: 1 }])) });
const workload = createEcommerceWorkload(spec, 42);

async function roundTrip(events: readonly HistoryEvent[]): Promise<HistoryEvent[]> {
  const path = join(await scratchDir('history-values'), 'history.jsonl');
  const writer = new HistoryWriter(path);
  for (const event of events) writer.append(event);
  await writer.close();
  const read: HistoryEvent[] = [];
  for await (const event of readHistory(path)) read.push(event);
  return read;
}

describe('history values', () => {
  it('keep every generated operation argument exactly', async () => {
    const events: HistoryEvent[] = [];
    for (let worker = 0; worker < 4; worker++) {
      const generator = workload.generator(worker, 4);
      for (let i = 0; i < 2_000; i++) {
        const op = generator.next();
        events.push({ type: 'invoke', id: events.length + 1, f: op.f, worker, node: 'primary', time: i, value: op.args });
      }
    }
    expect(new Set(events.map((e) => (e as { f: OperationName }).f))).toEqual(new Set(OPERATION_NAMES));
    expect(await roundTrip(events)).toEqual(events);
  });

  it('keep the ok value of every operation exactly', async () => {
    const samples: Record<OperationName, unknown> = {
      'browse-category': { rows: 20 },
      'view-product': { found: false },
      'add-to-cart': { cartId: 7 },
      checkout: { orderId: 12, customerId: 3, total: 1234.56 },
      'order-history': { customerId: 3, orderIds: [12, 9, 4] },
      'rate-product': { customerId: 3, productId: 5, stars: 4 },
      recommendations: { customerId: 3, productIds: [1, 2] },
      'expire-carts': { deleted: 0 },
      restock: { productId: 5, warehouseId: 2, quantity: 30 },
      'browse-price': { rows: 20 },
    };
    const events: HistoryEvent[] = OPERATION_NAMES.map((f, i) => {
      expect(OP_OK_SCHEMAS[f].safeParse(samples[f]).success, f).toBe(true);
      return { type: 'ok', id: i, f, worker: 0, node: 'primary', time: i, latency: 1, value: samples[f] };
    });
    expect(await roundTrip(events)).toEqual(events);
  });
});
