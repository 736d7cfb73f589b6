import type { ClientSession } from 'mongodb';
import type { CheckoutArgs } from '../../../harness/workload/ecommerce/op-args.ts';
import type { OpResult } from '../../../harness/workload/workload-types.ts';
import { classifyMongoError } from './classify-mongo-error.ts';
import { dayOf, type CustomerDoc, type InventoryDoc, type OrderDoc, type ProductDoc } from './documents.ts';
import type { MongoOpContext } from './mongo-op-context.ts';
import { centsOf, orderDocument } from './order-document.ts';

// Checkout as a multi-document transaction (seed 001's MongoDB part): take stock with
// conditional decrements (onHand >= quantity, never read-then-write), write the order with its
// items, payment and shipment embedded, count the day's movements in the inventory buckets, then
// commit with the scenario's write concern. Snapshot reads, so prices and the buyer are one view.

class Abort extends Error {
  constructor(readonly result: OpResult) {
    super(result.type === 'ok' ? 'ok' : result.error);
  }
}

async function body(args: CheckoutArgs, ctx: MongoOpContext, session: ClientSession): Promise<number> {
  const now = new Date();
  const value = { orderId: args.orderId, customerId: args.customerId };
  const inventory = ctx.db.collection<InventoryDoc>('inventory');
  // Items are sorted by product id, so concurrent checkouts meet on documents in the same order.
  for (const item of args.items) {
    const taken = await inventory.updateOne(
      { _id: { productId: item.productId, warehouseId: args.warehouseId }, onHand: { $gte: item.quantity } },
      { $inc: { onHand: -item.quantity } },
      { session },
    );
    if (taken.modifiedCount !== 1) throw new Abort({ type: 'fail', error: 'out-of-stock', value });
  }
  const ids = args.items.map((item) => item.productId);
  const products = await ctx.db.collection<ProductDoc>('products').find({ _id: { $in: ids } }, { session, projection: { price: 1 } }).toArray();
  const prices = new Map(products.map((p) => [p._id, centsOf(p.price)]));
  if (prices.size !== ids.length) throw new Abort({ type: 'fail', error: 'unknown-product', value });
  const buyer = await ctx.db.collection<CustomerDoc>('customers').findOne({ _id: args.customerId }, { session, projection: { region: 1, address: 1 } });
  if (!buyer) throw new Abort({ type: 'fail', error: 'unknown-customer', value });
  const { doc, totalCents } = orderDocument(args, buyer, prices, now);
  await ctx.db.collection<OrderDoc>('orders').insertOne(doc, { session });
  const day = dayOf(now);
  await ctx.db.collection('dailyInventory').bulkWrite(
    args.items.map((item) => ({
      updateOne: {
        filter: { _id: { productId: item.productId, warehouseId: args.warehouseId, day } },
        update: { $inc: { unitsSold: item.quantity, movements: 1 }, $setOnInsert: { unitsRestocked: 0 } },
        upsert: true,
      },
    })),
    { session, ordered: true },
  );
  return totalCents;
}

export async function checkoutMongo(args: CheckoutArgs, ctx: MongoOpContext): Promise<OpResult> {
  const value = { orderId: args.orderId, customerId: args.customerId };
  // A causal worker runs its transaction in its own session, so the order is after its earlier reads.
  const session = ctx.session ?? ctx.db.client.startSession();
  let totalCents = 0;
  try {
    session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: ctx.writeConcern });
    try {
      totalCents = await body(args, ctx, session);
    } catch (error) {
      await session.abortTransaction().catch(() => {});
      if (error instanceof Abort) return error.result;
      return classifyMongoError(error, 'write', value);
    }
    try {
      await session.commitTransaction();
    } catch (error) {
      return classifyMongoError(error, 'commit', { ...value, total: totalCents / 100 });
    }
    return { type: 'ok', value: { ...value, total: totalCents / 100 } };
  } finally {
    if (session !== ctx.session) await session.endSession().catch(() => {});
  }
}
