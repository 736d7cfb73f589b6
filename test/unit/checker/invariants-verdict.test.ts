import { describe, expect, it } from 'vitest';
import { evaluateInvariants, type InvariantRows, type OrderRow, type StockRow } from '../../../src/harness/checker/invariants-checker.ts';

const stock = (overrides: Partial<StockRow> = {}): StockRow => ({
  productId: 1,
  warehouseId: 1,
  onHand: 90,
  initialOnHand: 100,
  restockedTotal: 0,
  sold: 10,
  ...overrides,
});

const order = (overrides: Partial<OrderRow> = {}): OrderRow => ({
  orderId: 1,
  totalsCents: [2599],
  items: 2,
  paymentsCents: [2599],
  ...overrides,
});

const clean: InvariantRows = {
  stock: [stock(), stock({ productId: 2, onHand: 130, restockedTotal: 40, sold: 10 }), stock({ productId: 3, onHand: 0, sold: 100 })],
  orders: [order(), order({ orderId: 2, totalsCents: [1000], paymentsCents: [1000] })],
};

describe('evaluateInvariants', () => {
  it('passes a clean final state', () => {
    const result = evaluateInvariants(clean);
    expect(result.verdict).toBe('valid');
    expect(result.examples).toEqual([]);
    expect(result.counts).toMatchObject({ 'inventory-rows': 3, orders: 2, 'negative-stock': 0, 'stock-not-conserved': 0 });
    expect(result.explanation).toMatch(/3 inventory rows/);
  });

  it('catches an oversell: stock below zero', () => {
    const result = evaluateInvariants({ ...clean, stock: [stock({ onHand: -2, sold: 102 })] });
    expect(result.verdict).toBe('invalid');
    expect(result.counts['negative-stock']).toBe(1);
    expect(result.counts['stock-not-conserved']).toBe(0);
    expect(result.examples[0]).toMatchObject({ invariant: 'negative-stock', productId: 1, onHand: -2 });
    expect(result.explanation).toMatch(/oversell/);
  });

  it('catches units that vanished or appeared', () => {
    const result = evaluateInvariants({ ...clean, stock: [stock({ onHand: 95 }), stock({ productId: 2, onHand: 80, sold: 10 })] });
    expect(result.verdict).toBe('invalid');
    expect(result.counts['stock-not-conserved']).toBe(2);
    expect(result.examples).toContainEqual(expect.objectContaining({ invariant: 'stock-not-conserved', productId: 1, unaccounted: -5 }));
  });

  it('catches a missing payment, a second payment and a wrong amount', () => {
    const result = evaluateInvariants({
      ...clean,
      orders: [order({ paymentsCents: [] }), order({ orderId: 2, paymentsCents: [2599, 2599] }), order({ orderId: 3, paymentsCents: [2500] })],
    });
    expect(result.verdict).toBe('invalid');
    expect(result.counts['payment-mismatch']).toBe(3);
  });

  it('catches an order without lines', () => {
    const result = evaluateInvariants({ ...clean, orders: [order({ items: 0 })] });
    expect(result.counts['order-without-items']).toBe(1);
    expect(result.verdict).toBe('invalid');
  });

  it('catches a duplicated order id', () => {
    const result = evaluateInvariants({ ...clean, orders: [order({ totalsCents: [2599, 2599], paymentsCents: [2599, 2599], items: 4 })] });
    expect(result.verdict).toBe('invalid');
    expect(result.counts['duplicate-order-id']).toBe(1);
    expect(result.counts['payment-mismatch']).toBe(0);
    expect(result.examples[0]).toMatchObject({ invariant: 'duplicate-order-id', orderId: 1, copies: 2 });
  });

  it('catches lines or payments of an order that does not exist', () => {
    const result = evaluateInvariants({ ...clean, orders: [order({ totalsCents: [], items: 1, paymentsCents: [] })] });
    expect(result.counts['orphan-order-rows']).toBe(1);
    expect(result.verdict).toBe('invalid');
  });

  it('keeps at most ten examples and draws them from every broken invariant', () => {
    const oversold = Array.from({ length: 30 }, (_, i) => stock({ productId: i + 1, onHand: -1, sold: 101 }));
    const result = evaluateInvariants({ stock: oversold, orders: [order({ paymentsCents: [] })] });
    expect(result.examples).toHaveLength(10);
    expect(result.examples).toContainEqual(expect.objectContaining({ invariant: 'payment-mismatch' }));
    expect(result.counts['negative-stock']).toBe(30);
  });

  it('says unknown when there is no inventory at all', () => {
    expect(evaluateInvariants({ stock: [], orders: [] }).verdict).toBe('unknown');
  });
});
