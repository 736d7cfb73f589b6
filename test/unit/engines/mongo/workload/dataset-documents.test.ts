import { Decimal128 } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../../src/harness/scenario/parse-scenario.ts';
import { datasetTables } from '../../../../../src/harness/workload/ecommerce/dataset.ts';
import { datasetDocuments } from '../../../../../src/engines/mongo/workload/dataset-documents.ts';
import type { CartDoc, OrderDoc } from '../../../../../src/engines/mongo/workload/documents.ts';
import { centsOf } from '../../../../../src/engines/mongo/workload/order-document.ts';

const dataset = parseScenario('name: t\ndescription: d\ntopology: { kind: mongo-replica-set }\nworkload: { dataset: { customers: 60, products: 40, categories: 5 } }\n', 't.yaml').workload.dataset;
const SEED = 11;
const EXPIRY = 600_000;

function documents(collection: string, seed = SEED): Record<string, unknown>[] {
  const data = datasetDocuments(dataset, seed, EXPIRY).find((c) => c.collection === collection)!;
  return [...data.documents()];
}

const rowCount = (table: string) => [...datasetTables(dataset, SEED).find((t) => t.table === table)!.rows()].length;

describe('the dataset as documents', () => {
  it('comes from the same seeded rows as the SQL dataset: same customers, products, ratings, carts and orders', () => {
    for (const [collection, table] of [['customers', 'customers'], ['products', 'products'], ['ratings', 'ratings'], ['carts', 'carts'], ['orders', 'orders'], ['inventory', 'inventory']]) {
      expect(documents(collection!).length, collection).toBe(rowCount(table!));
    }
    const sqlCustomer = [...datasetTables(dataset, SEED).find((t) => t.table === 'customers')!.rows()][0]!;
    expect(documents('customers')[0]).toMatchObject({ _id: 1, name: sqlCustomer[1], email: sqlCustomer[2], region: sqlCustomer[4], recommendedProducts: [] });
  });

  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(documents('orders'))).toBe(JSON.stringify(documents('orders')));
    expect(JSON.stringify(documents('customers', SEED + 1))).not.toBe(JSON.stringify(documents('customers')));
  });

  it('embeds each order’s items, payment and shipment, every line of the SQL order_items', () => {
    const orders = documents('orders') as unknown as OrderDoc[];
    expect(orders.reduce((n, o) => n + o.items.length, 0)).toBe(rowCount('order_items'));
    for (const order of orders) {
      expect(order.items.length).toBeGreaterThan(0);
      expect(order.items.map((i) => i.line)).toEqual(order.items.map((_, i) => i + 1));
      const sum = order.items.reduce((cents, item) => cents + item.quantity * centsOf(item.unitPrice), 0);
      expect(centsOf(order.total)).toBe(sum);
      expect(centsOf(order.payment.amount)).toBe(sum);
      expect(order.total).toBeInstanceOf(Decimal128);
      expect(order.historical).toBe(true);
      expect(order.shipment.address).toMatch(/,/);
    }
  });

  it('gives every cart its items and an expiry after its last update, for the TTL index', () => {
    const carts = documents('carts') as unknown as CartDoc[];
    expect(carts.reduce((n, c) => n + c.items.length, 0)).toBe(rowCount('cart_items'));
    for (const cart of carts) expect(cart.expiresAt.getTime() - cart.updatedAt.getTime()).toBe(EXPIRY);
  });

  it('opens one inventory bucket per stock line on the dataset’s day, and keys ratings by customer and product', () => {
    expect(documents('dailyInventory')[0]).toEqual({ _id: { productId: 1, warehouseId: 1, day: '2025-01-01' }, unitsSold: 0, unitsRestocked: 0, movements: 0 });
    const rating = documents('ratings')[0]!;
    expect(rating._id).toEqual({ customerId: rating.customerId, productId: rating.productId });
  });
});
