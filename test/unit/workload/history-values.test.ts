import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, Workload as WorkloadSchema } from '../../../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { OP_OK_SCHEMAS } from '../../../src/harness/workload/ecommerce/op-results.ts';

// The fast serialisers write only what their schemas declare: these tests prove that every
// value the workload produces survives the trip into the history unchanged.
const spec = WorkloadSchema.parse({ operations: Object.fromEntries(OPERATION_NAMES.map((f) => [f, { weight: 1 }])) });
const workload = createEcommerceWorkload(spec, 42);
const serializers = workload.valueSerializers!;

describe('history value serialisers', () => {
  it('write every generated operation argument exactly as JSON.stringify would', () => {
    const seen = new Set<string>();
    for (let worker = 0; worker < 4; worker++) {
      const generator = workload.generator(worker, 4);
      for (let i = 0; i < 2_000; i++) {
        const op = generator.next();
        seen.add(op.f);
        expect(JSON.parse(serializers.invoke[op.f]!(op.args))).toEqual(op.args);
      }
    }
    expect([...seen].sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it('write ok values of every operation losslessly, and exist for every operation', () => {
    const samples: Record<string, unknown> = {
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
    for (const f of OPERATION_NAMES) {
      expect(OP_OK_SCHEMAS[f].safeParse(samples[f]).success, f).toBe(true);
      expect(JSON.parse(serializers.ok[f]!(samples[f])), f).toEqual(samples[f]);
    }
  });
});
