import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Workload } from '../../../src/harness/scenario/schema.ts';
import { copyTextChunks } from '../../../src/harness/workload/ecommerce/copy-load.ts';
import { datasetTables } from '../../../src/harness/workload/ecommerce/dataset.ts';
import {
  firstWorkloadOrderId,
  parseCents,
  productPriceCents,
} from '../../../src/harness/workload/ecommerce/seeded-facts.ts';

const dataset = Workload.parse({ dataset: { customers: 300, products: 80, categories: 7, regions: ['NA', 'EMEA', 'APJ'], ordersPerCustomer: 1.5, ratingsPerCustomer: 2.5 } }).dataset;

/** The exact COPY text each table would send, hashed. */
function fingerprint(seed: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of datasetTables(dataset, seed)) {
    const hash = createHash('sha256');
    for (const chunk of copyTextChunks(table, { rows: 0 })) hash.update(chunk);
    out[table.table] = hash.digest('hex');
  }
  return out;
}

function rowsOf(seed: number, name: string): (readonly unknown[])[] {
  const table = datasetTables(dataset, seed).find((t) => t.table === name);
  if (!table) throw new Error(`no table ${name}`);
  return [...table.rows()];
}

describe('the seeded dataset', () => {
  it('is byte-identical for the same seed, table by table', () => {
    expect(fingerprint(11)).toEqual(fingerprint(11));
  });

  it('gives the same rows when a table is iterated twice', () => {
    expect(rowsOf(11, 'shipments')).toEqual(rowsOf(11, 'shipments'));
  });

  it('differs for another seed in every generated table', () => {
    const a = fingerprint(11);
    const b = fingerprint(12);
    for (const table of ['categories', 'products', 'customers', 'carts', 'cart_items', 'ratings', 'orders', 'order_items', 'payments', 'shipments']) {
      expect(b[table], table).not.toBe(a[table]);
    }
    // Stock and warehouses depend on the sizes only.
    expect(b.inventory).toBe(a.inventory);
  });

  it('has the sizes the spec asks for', () => {
    const count = (name: string) => rowsOf(5, name).length;
    expect(count('customers')).toBe(300);
    expect(count('products')).toBe(80);
    expect(count('categories')).toBe(7);
    expect(count('warehouses')).toBe(3);
    expect(count('inventory')).toBe(80 * 3);
    expect(count('orders')).toBe(450);
    expect(count('payments')).toBe(450);
    expect(count('shipments')).toBe(450);
    expect(count('ratings')).toBe(750);
    expect(firstWorkloadOrderId(dataset)).toBe(451);
  });

  it('prices products between 10 and 500 and charges each historical order its lines total', () => {
    for (const [, , , price] of rowsOf(5, 'products')) {
      const cents = parseCents(String(price));
      expect(cents).toBeGreaterThanOrEqual(1000);
      expect(cents).toBeLessThanOrEqual(50_000);
    }
    const lineTotals = new Map<number, number>();
    for (const [orderId, , productId, , quantity, unitPrice] of rowsOf(5, 'order_items')) {
      expect(parseCents(String(unitPrice))).toBe(productPriceCents(5, Number(productId)));
      lineTotals.set(Number(orderId), (lineTotals.get(Number(orderId)) ?? 0) + Number(quantity) * parseCents(String(unitPrice)));
    }
    for (const [orderId, amount] of rowsOf(5, 'payments')) {
      expect(parseCents(String(amount))).toBe(lineTotals.get(Number(orderId)));
    }
  });

  it('never rates the same product twice for one customer', () => {
    const pairs = rowsOf(5, 'ratings').map(([c, p]) => `${c}:${p}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('marks every loaded order historical', () => {
    expect(rowsOf(5, 'orders').every((row) => row[6] === true)).toBe(true);
  });
});
