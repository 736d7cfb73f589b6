import { Decimal128 } from 'mongodb';
import type { z } from 'zod';
import type { OperationName } from '../../../harness/scenario/schema.ts';
import { OP_ARG_SCHEMAS, type OpArgs } from '../../../harness/workload/ecommerce/op-args.ts';
import { ORDER_HISTORY_LIMIT, PAGE_SIZE } from '../../../harness/workload/ecommerce/vocabulary.ts';
import type { OpResult, PlannedOp } from '../../../harness/workload/workload-types.ts';
import { checkoutMongo } from './checkout-mongo.ts';
import { classifyMongoError, type MongoStage } from './classify-mongo-error.ts';
import { dayOf, type CartDoc, type CustomerDoc, type InventoryDoc, type OrderDoc, type ProductDoc, type RatingDoc } from './documents.ts';
import { readOptions, writeOptions, type MongoOpContext } from './mongo-op-context.ts';
import { addToCartUpdate } from './pipelines.ts';
import { recommend } from './recommend.ts';

// The operations, MongoDB dialect: the same arguments and the same history values as the SQL
// dialect, so every history checker reads both. Except checkout (a transaction) and
// recommendations (reads, then one update), each is a single-document or single-query operation.

type Handler<F extends OperationName> = (args: OpArgs[F], ctx: MongoOpContext, options: { cartExpiryMs: number }) => Promise<OpResult>;

function single<F extends OperationName>(stage: MongoStage, body: Handler<F>): Handler<F> {
  return async (args, ctx, options) => {
    try {
      return await body(args, ctx, options);
    } catch (error) {
      return classifyMongoError(error, stage, args);
    }
  };
}

const HANDLERS: { readonly [F in OperationName]: Handler<F> } = {
  'browse-category': single('read', async (args, ctx) => {
    const rows = await ctx.db
      .collection<ProductDoc>('products')
      .find({ categoryId: args.categoryId }, { ...readOptions(ctx), projection: { name: 1, price: 1 } })
      .sort({ price: 1, _id: 1 })
      .skip(args.page * PAGE_SIZE)
      .limit(PAGE_SIZE)
      .toArray();
    return { type: 'ok', value: { rows: rows.length } };
  }),
  'browse-price': single('read', async (args, ctx) => {
    const price = { $gte: Decimal128.fromString(String(args.minPrice)), $lt: Decimal128.fromString(String(args.maxPrice)) };
    const rows = await ctx.db.collection<ProductDoc>('products').find({ price }, { ...readOptions(ctx), projection: { name: 1, price: 1 } }).sort({ price: 1, _id: 1 }).limit(PAGE_SIZE).toArray();
    return { type: 'ok', value: { rows: rows.length } };
  }),
  'view-product': single('read', async (args, ctx) => {
    const found = await ctx.db.collection<ProductDoc>('products').findOne({ _id: args.productId }, readOptions(ctx));
    return { type: 'ok', value: { found: found !== null } };
  }),
  'order-history': single('read', async (args, ctx) => {
    const rows = await ctx.db
      .collection<OrderDoc>('orders')
      .find({ customerId: args.customerId }, { ...readOptions(ctx), projection: { _id: 1 } })
      .sort({ createdAt: -1, _id: -1 })
      .limit(ORDER_HISTORY_LIMIT)
      .toArray();
    return { type: 'ok', value: { customerId: args.customerId, orderIds: rows.map((row) => row._id) } };
  }),
  'add-to-cart': single('write', async (args, ctx, { cartExpiryMs }) => {
    const now = new Date();
    const update = addToCartUpdate(args.productId, args.quantity, now, new Date(now.getTime() + cartExpiryMs));
    await ctx.db.collection<CartDoc>('carts').updateOne({ _id: args.customerId }, update, { ...writeOptions(ctx), upsert: true });
    return { type: 'ok', value: { cartId: args.customerId } };
  }),
  'rate-product': single('write', async (args, ctx) => {
    await ctx.db.collection<RatingDoc>('ratings').updateOne(
      { _id: { customerId: args.customerId, productId: args.productId } },
      { $set: { stars: args.stars, createdAt: new Date() }, $setOnInsert: { customerId: args.customerId, productId: args.productId } },
      { ...writeOptions(ctx), upsert: true },
    );
    return { type: 'ok', value: { ...args } };
  }),
  recommendations: single('write', async (args, ctx) => {
    const picked = await recommend(args.customerId, ctx);
    const updated = await ctx.db.collection<CustomerDoc>('customers').updateOne({ _id: args.customerId }, { $set: { recommendedProducts: picked } }, writeOptions(ctx));
    if (updated.matchedCount !== 1) return { type: 'fail', error: 'unknown-customer', value: { ...args } };
    return { type: 'ok', value: { customerId: args.customerId, productIds: picked.map((p) => p.productId) } };
  }),
  // The maintenance query; the TTL index removes expired carts on its own as well.
  'expire-carts': single('write', async (args, ctx) => {
    const cutoff = new Date(Date.now() - args.idleMs);
    const carts = ctx.db.collection<CartDoc>('carts');
    const doomed = await carts.find({ updatedAt: { $lt: cutoff } }, { ...readOptions(ctx), readPreference: 'primary', projection: { _id: 1 } }).sort({ updatedAt: 1 }).limit(args.limit).toArray();
    if (doomed.length === 0) return { type: 'ok', value: { deleted: 0 } };
    // Still idle at delete time: a cart touched since the find is not removed.
    const result = await carts.deleteMany({ _id: { $in: doomed.map((cart) => cart._id) }, updatedAt: { $lt: cutoff } }, writeOptions(ctx));
    return { type: 'ok', value: { deleted: result.deletedCount } };
  }),
  restock: single('write', async (args, ctx) => {
    const result = await ctx.db.collection<InventoryDoc>('inventory').updateOne(
      { _id: { productId: args.productId, warehouseId: args.warehouseId } },
      { $inc: { onHand: args.quantity, restockedTotal: args.quantity } },
      writeOptions(ctx),
    );
    if (result.matchedCount !== 1) return { type: 'fail', error: 'not-found', value: { ...args } };
    // The day's bucket is analytics: a separate write, its failure does not undo the restock.
    await ctx.db
      .collection('dailyInventory')
      .updateOne(
        { _id: { productId: args.productId, warehouseId: args.warehouseId, day: dayOf(new Date()) } },
        { $inc: { unitsRestocked: args.quantity, movements: 1 }, $setOnInsert: { unitsSold: 0 } },
        { ...writeOptions(ctx), upsert: true },
      )
      .catch(() => {});
    return { type: 'ok', value: { ...args } };
  }),
  checkout: (args, ctx) => checkoutMongo(args, ctx),
};

const SCHEMAS: { readonly [F in OperationName]: z.ZodType<OpArgs[F]> } = OP_ARG_SCHEMAS;

async function dispatch<F extends OperationName>(f: F, raw: unknown, ctx: MongoOpContext, options: { cartExpiryMs: number }): Promise<OpResult> {
  const parsed = SCHEMAS[f].safeParse(raw);
  if (!parsed.success) return { type: 'fail', error: 'error', value: { message: `bad arguments for ${f}: ${parsed.error.message}` } };
  return HANDLERS[f](parsed.data, ctx, options);
}

/** Runs one planned operation. Never throws. */
export async function executeEcommerceMongo(op: PlannedOp, ctx: MongoOpContext, options: { cartExpiryMs: number }): Promise<OpResult> {
  try {
    if (!Object.hasOwn(HANDLERS, op.f)) return { type: 'fail', error: 'error', value: { message: `unknown operation ${String(op.f)}` } };
    return await dispatch(op.f, op.args, ctx, options);
  } catch (error) {
    return { type: 'fail', error: 'error', value: { message: error instanceof Error ? error.message : String(error) } };
  }
}
