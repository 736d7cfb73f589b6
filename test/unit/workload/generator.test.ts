import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, Workload, type WorkloadSpec } from '../../../src/harness/scenario/schema.ts';
import { createEcommerceWorkload, firstWorkloadOrderId } from '../../../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { OP_ARG_SCHEMAS } from '../../../src/harness/workload/ecommerce/op-args.ts';
import { DEFAULT_WEIGHTS } from '../../../src/harness/workload/ecommerce/operation-mix.ts';
import { customerWarehouseId } from '../../../src/harness/workload/ecommerce/seeded-facts.ts';
import type { PlannedOp } from '../../../src/harness/workload/workload-types.ts';

const spec = (input: Record<string, unknown> = {}): WorkloadSpec =>
  Workload.parse({ dataset: { customers: 500, products: 120, categories: 6 }, ...input });

function ops(workloadSpec: WorkloadSpec, seed: number, worker: number, workers: number, n: number): PlannedOp[] {
  const generator = createEcommerceWorkload(workloadSpec, seed).generator(worker, workers);
  return Array.from({ length: n }, () => generator.next());
}

describe('operation generator', () => {
  it('gives each worker the same sequence in every run', () => {
    expect(ops(spec(), 3, 2, 8, 500)).toEqual(ops(spec(), 3, 2, 8, 500));
  });

  it('gives different sequences to different seeds and workers', () => {
    const base = ops(spec(), 3, 2, 8, 200);
    expect(ops(spec(), 4, 2, 8, 200)).not.toEqual(base);
    expect(ops(spec(), 3, 1, 8, 200)).not.toEqual(base);
  });

  it("does not let the number of workers change a worker's operations, only its order ids", () => {
    const strip = (list: PlannedOp[]) => list.map((op) => (op.f === 'checkout' ? { ...op, args: { ...op.args, orderId: 0 } } : op));
    expect(strip(ops(spec(), 3, 1, 2, 300))).toEqual(strip(ops(spec(), 3, 1, 16, 300)));
  });

  it('plans only arguments that execute() accepts', () => {
    for (const op of ops(spec(), 9, 0, 1, 3000)) {
      expect(OP_ARG_SCHEMAS[op.f].safeParse(op.args).success, JSON.stringify(op)).toBe(true);
    }
  });

  it('follows the default mix weights', () => {
    const n = 100_000;
    const counts = new Map<string, number>();
    for (const op of ops(spec(), 1, 0, 1, n)) counts.set(op.f, (counts.get(op.f) ?? 0) + 1);
    const total = Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0);
    for (const f of OPERATION_NAMES) {
      expect(Math.abs((counts.get(f) ?? 0) / n - DEFAULT_WEIGHTS[f] / total), f).toBeLessThan(0.01);
    }
  });

  it('runs only the listed operations with a positive weight', () => {
    const custom = spec({ operations: { 'view-product': { weight: 3 }, checkout: { weight: 1 }, restock: { weight: 0 } } });
    const counts = new Map<string, number>();
    for (const op of ops(custom, 1, 0, 1, 20_000)) counts.set(op.f, (counts.get(op.f) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['checkout', 'view-product']);
    expect(Math.abs(counts.get('view-product')! / 20_000 - 0.75)).toBeLessThan(0.02);
  });

  it('sends only reads to replicas when readFrom says so', () => {
    const operations = Object.fromEntries(OPERATION_NAMES.map((f) => [f, { weight: 1, readFrom: 'replicas' }]));
    const reads = new Set(['browse-category', 'view-product', 'order-history', 'browse-price']);
    const seen = new Set<string>();
    for (const op of ops(spec({ operations }), 1, 0, 1, 5000)) {
      seen.add(op.f);
      expect(op.target, op.f).toBe(reads.has(op.f) ? 'replicas' : 'primary');
    }
    expect(seen.size).toBe(OPERATION_NAMES.length);
    for (const op of ops(spec(), 1, 0, 1, 2000)) expect(op.target).toBe('primary');
  });

  it('allocates order ids above the historical orders, unique across workers and increasing per worker', () => {
    const workloadSpec = spec();
    const workers = 5;
    const all: number[] = [];
    for (let worker = 0; worker < workers; worker++) {
      const ids = ops(workloadSpec, 1, worker, workers, 2000)
        .filter((op) => op.f === 'checkout')
        .map((op) => Number(op.args.orderId));
      expect(ids.length).toBeGreaterThan(100);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids[0]).toBe(firstWorkloadOrderId(workloadSpec.dataset) + worker);
      all.push(...ids);
    }
    expect(new Set(all).size).toBe(all.length);
    expect(Math.min(...all)).toBe(firstWorkloadOrderId(workloadSpec.dataset));
  });

  it('buys 1-3 distinct products sorted by id, from the warehouse of the customer region', () => {
    const workloadSpec = spec();
    for (const op of ops(workloadSpec, 2, 0, 1, 3000).filter((o) => o.f === 'checkout')) {
      const args = OP_ARG_SCHEMAS.checkout.parse(op.args);
      const ids = args.items.map((item) => item.productId);
      expect(ids.length).toBeGreaterThanOrEqual(1);
      expect(ids.length).toBeLessThanOrEqual(3);
      expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
      expect(args.warehouseId).toBe(customerWarehouseId(workloadSpec.dataset, 2, args.customerId));
    }
  });

  it('draws product keys from the configured distribution', () => {
    const hot = (keys: string) => {
      const list = ops(spec({ operations: { 'view-product': { weight: 1, keys } } }), 1, 0, 1, 20_000);
      const counts = new Map<number, number>();
      for (const op of list) counts.set(Number(op.args.productId), (counts.get(Number(op.args.productId)) ?? 0) + 1);
      return Math.max(...counts.values()) / list.length;
    };
    expect(hot('zipfian')).toBeGreaterThan(0.1);
    expect(hot('uniform')).toBeLessThan(0.03);
  });

  it('rejects a worker outside [0, workers)', () => {
    const workload = createEcommerceWorkload(spec(), 1);
    expect(() => workload.generator(4, 4)).toThrow();
    expect(() => workload.generator(-1, 4)).toThrow();
  });
});
