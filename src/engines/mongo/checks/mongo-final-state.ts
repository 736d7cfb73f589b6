import type { Db } from 'mongodb';
import { centsOf } from '../workload/order-document.ts';
import { COLLECTIONS, type InventoryDoc, type OrderDoc } from '../workload/documents.ts';
import type { InvariantRows, NodeState, OrderRow, StockRow } from '../../../harness/checker/final-state.ts';
import type { TableSnapshot } from '../../../harness/checker/final-state.ts';

// The final state of a MongoDB run, read into the shapes the SQL checkers judge: order ids for
// lost writes, per-collection fingerprints for convergence, stock and order rows for invariants.
// The judgements stay the pure functions the PostgreSQL dialect uses.

/** Which of these order ids the database holds now. */
export async function presentOrderIds(db: Db, ids: readonly number[]): Promise<ReadonlySet<number>> {
  const found = await db.collection<OrderDoc>('orders').find({ _id: { $in: [...ids] } }, { projection: { _id: 1 }, readPreference: 'primary' }).toArray();
  return new Set(found.map((doc) => doc._id));
}

/** Collection → fingerprint: document count and dbHash's md5 (which hashes every document in _id order). */
export async function collectionSnapshots(db: Db, collections: readonly string[]): Promise<Record<string, TableSnapshot>> {
  const hashes = await db.command({ dbHash: 1, collections: [...collections] });
  const snapshots: Record<string, TableSnapshot> = {};
  for (const name of collections) {
    const rows = await db.collection(name).estimatedDocumentCount();
    snapshots[name] = { rows, checksum: String((hashes.collections as Record<string, string> | undefined)?.[name] ?? '') };
  }
  return snapshots;
}

/** Stock per line with what the run's orders took, and each order's items and payment. */
export async function readMongoInvariantRows(db: Db): Promise<InvariantRows> {
  const sold = new Map<string, number>();
  const orders: OrderRow[] = [];
  const cursor = db.collection<OrderDoc>('orders').find({}, { projection: { total: 1, items: 1, payment: 1, historical: 1 }, readPreference: 'primary' });
  for await (const order of cursor) {
    orders.push({
      orderId: order._id,
      totalsCents: [centsOf(order.total)],
      items: order.items?.length ?? 0,
      paymentsCents: order.payment ? [centsOf(order.payment.amount)] : [],
    });
    if (order.historical) continue;
    for (const item of order.items ?? []) {
      const key = `${item.productId}:${item.warehouseId}`;
      sold.set(key, (sold.get(key) ?? 0) + item.quantity);
    }
  }
  const stock: StockRow[] = [];
  for await (const line of db.collection<InventoryDoc>('inventory').find({}, { readPreference: 'primary' })) {
    const { productId, warehouseId } = line._id;
    stock.push({ productId, warehouseId, onHand: line.onHand, initialOnHand: line.initialOnHand, restockedTotal: line.restockedTotal, sold: sold.get(`${productId}:${warehouseId}`) ?? 0 });
  }
  return { stock, orders };
}

/** One MongoDB node's (or the cluster's, through mongos) final state, over a database handle the caller owns. */
export function mongoNodeState(db: Db): NodeState {
  return {
    presentOrderIds: (ids) => presentOrderIds(db, ids),
    snapshot: () => collectionSnapshots(db, COLLECTIONS),
    invariantRows: () => readMongoInvariantRows(db),
  };
}
