import { z } from 'zod';
import type { OperationName } from '../../scenario/schema.ts';

// The arguments of each operation: written by the generator, read back by execute() and, through
// the history, by checkers. Everything random is decided here, so execute() has no choices left.

const Id = z.int().positive();
const Count = z.int().positive();

const CheckoutItem = z.strictObject({ productId: Id, quantity: Count });

export const OP_ARG_SCHEMAS = {
  'browse-category': z.strictObject({ categoryId: Id, page: z.int().nonnegative() }),
  'view-product': z.strictObject({ productId: Id }),
  'add-to-cart': z.strictObject({ customerId: Id, productId: Id, quantity: Count }),
  checkout: z.strictObject({
    orderId: Id,
    customerId: Id,
    warehouseId: Id,
    /** Sorted by product id, distinct: locks are then always taken in the same order. */
    items: z.array(CheckoutItem).min(1),
    paymentMethod: z.string().min(1),
    carrier: z.string().min(1),
  }),
  'order-history': z.strictObject({ customerId: Id }),
  'rate-product': z.strictObject({ customerId: Id, productId: Id, stars: z.int().min(1).max(5) }),
  recommendations: z.strictObject({ customerId: Id }),
  'expire-carts': z.strictObject({ idleMs: z.number().nonnegative(), limit: Count }),
  restock: z.strictObject({ productId: Id, warehouseId: Id, quantity: Count }),
  /** A half-open price band [minPrice, maxPrice): one of PRICE_BANDS. */
  'browse-price': z.strictObject({ minPrice: z.number().nonnegative(), maxPrice: z.number().positive() }),
} satisfies Record<OperationName, z.ZodType>;

export type OpArgs = { [F in OperationName]: z.output<(typeof OP_ARG_SCHEMAS)[F]> };
export type CheckoutArgs = OpArgs['checkout'];

/** Operations that only read: the only ones `readFrom: replicas` may send to a replica. */
export const READ_ONLY_OPS: ReadonlySet<OperationName> = new Set([
  'browse-category',
  'view-product',
  'order-history',
  'browse-price',
]);
