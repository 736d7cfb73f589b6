import type pg from 'pg';

// Which of a batch of order ids exist on a node. Asking about the ids we care about (the
// acknowledged and uncertain checkouts) rather than reading the whole orders table keeps the
// seeded historical orders, which can be most of the table, out of memory.

import { ORDER_ID_BATCH } from '../../../harness/checker/final-state.ts';

export async function readPresentOrderIds(client: pg.ClientBase, orderIds: readonly number[]): Promise<Set<number>> {
  const present = new Set<number>();
  for (let start = 0; start < orderIds.length; start += ORDER_ID_BATCH) {
    const batch = orderIds.slice(start, start + ORDER_ID_BATCH);
    const result = await client.query<{ id: string }>({
      name: 'faultline.check.present-order-ids',
      text: 'SELECT id::text AS id FROM orders WHERE id = ANY($1::bigint[])',
      values: [batch],
    });
    for (const row of result.rows) present.add(Number(row.id));
  }
  return present;
}
