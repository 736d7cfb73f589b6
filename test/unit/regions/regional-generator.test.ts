import { describe, expect, it } from 'vitest';
import { Workload } from '../../../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { customerRegion } from '../../../src/harness/workload/ecommerce/seeded-facts.ts';

const spec = Workload.parse({ dataset: { customers: 400, products: 50, categories: 5 } });

describe('a regional worker', () => {
  it('serves only the customers of its region, in every customer-keyed operation', () => {
    const generator = createEcommerceWorkload(spec, 9).generator(1, 4, { customerRegions: ['EMEA', 'APJ'] });
    const customers = Array.from({ length: 2_000 }, () => generator.next())
      .map((op) => (op.args as { customerId?: number }).customerId)
      .filter((id): id is number => id !== undefined);
    expect(customers.length).toBeGreaterThan(500);
    const regions = new Set(customers.map((id) => customerRegion(spec.dataset, 9, id)));
    expect([...regions].sort()).toEqual(['APJ', 'EMEA']);
  });

  it('keeps the unregioned sequence unchanged when no region is given', () => {
    const a = createEcommerceWorkload(spec, 9).generator(0, 2);
    const b = createEcommerceWorkload(spec, 9).generator(0, 2, {});
    expect(Array.from({ length: 200 }, () => a.next())).toEqual(Array.from({ length: 200 }, () => b.next()));
  });

  it('says which regions have no customer instead of looping forever', () => {
    const narrow = Workload.parse({ dataset: { customers: 10, regions: ['NA'] } });
    expect(() => createEcommerceWorkload(narrow, 1).generator(0, 1, { customerRegions: ['EMEA'] })).toThrow(/no customer of the dataset is in EMEA/);
  });
});

describe('a regional worker restocking', () => {
  it('restocks only the warehouses of the customer regions it serves', () => {
    const withRestock = Workload.parse({ dataset: { customers: 400, products: 50, categories: 5 }, operations: { restock: { weight: 1 } } });
    const generator = createEcommerceWorkload(withRestock, 9).generator(0, 1, { customerRegions: ['EMEA'] });
    const warehouses = new Set(Array.from({ length: 300 }, () => (generator.next().args as { warehouseId: number }).warehouseId));
    // dataset.regions defaults to NA, EMEA, APJ, LATAM: EMEA's warehouse is the second.
    expect([...warehouses]).toEqual([2]);
  });
});
