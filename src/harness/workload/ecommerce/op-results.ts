import { z } from 'zod';
import type { OperationName } from '../../scenario/schema.ts';
import { OP_ARG_SCHEMAS } from './op-args.ts';

// What each operation's ok completion carries into the history (operations-pg.ts and
// checkout-pg.ts build them; the MongoDB dialect builds the same). The contract checkers read;
// test/unit/workload/history-values.test.ts proves each kind reaches history.jsonl unchanged.

const Id = z.int().positive();

export const OP_OK_SCHEMAS = {
  'browse-category': z.strictObject({ rows: z.int().nonnegative() }),
  'view-product': z.strictObject({ found: z.boolean() }),
  'add-to-cart': z.strictObject({ cartId: Id }),
  checkout: z.strictObject({ orderId: Id, customerId: Id, total: z.number() }),
  'order-history': z.strictObject({ customerId: Id, orderIds: z.array(Id) }),
  'rate-product': OP_ARG_SCHEMAS['rate-product'],
  recommendations: z.strictObject({ customerId: Id, productIds: z.array(Id) }),
  'expire-carts': z.strictObject({ deleted: z.int().nonnegative() }),
  restock: OP_ARG_SCHEMAS.restock,
  'browse-price': z.strictObject({ rows: z.int().nonnegative() }),
} satisfies Record<OperationName, z.ZodType>;
