import { describe, expect, it } from 'vitest';
import { evaluateInvariants, type StockRow } from '../../../src/harness/checker/invariants-checker.ts';

// What two leaders do to one inventory row: each takes units from its own copy, and the row that
// survives keeps only one side's decrements. Units were sold that stock never lost (lost
// decrements), and more can be sold than ever existed (an oversell with stock still positive).

const stock = (overrides: Partial<StockRow> = {}): StockRow => ({
  productId: 1,
  warehouseId: 1,
  onHand: 90,
  initialOnHand: 100,
  restockedTotal: 0,
  sold: 10,
  ...overrides,
});

const orders = [{ orderId: 1, totalsCents: [1000], items: 1, paymentsCents: [1000] }];

describe('evaluateInvariants under multi-leader', () => {
  it('counts lost decrements: units sold that stock on hand never lost', () => {
    // us-east sold 10, eu-west sold 7, last_update_wins kept us-east's row: 90 on hand, 17 sold.
    const result = evaluateInvariants({ stock: [stock({ sold: 17 }), stock({ productId: 2 })], orders });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ 'stock-not-conserved': 1, 'lost-decrements': 1, 'lost-decrement-units': 7, oversold: 0, 'oversold-units': 0 });
    expect(result.explanation).toMatch(/7 units sold on 1 inventory rows were never taken from stock \(lost decrements/);
  });

  it('counts an oversell that stock on hand hides', () => {
    // 100 supplied, 20 restocked; 130 sold across both leaders, yet 15 still on hand.
    const result = evaluateInvariants({ stock: [stock({ restockedTotal: 20, sold: 130, onHand: 15 })], orders });
    expect(result.counts).toMatchObject({ 'negative-stock': 0, oversold: 1, 'oversold-units': 10, 'lost-decrement-units': 25 });
    expect(result.examples).toContainEqual(expect.objectContaining({ invariant: 'oversold', supplied: 120, sold: 130, oversoldUnits: 10 }));
    expect(result.explanation).toMatch(/10 units were sold beyond what existed/);
  });

  it('passes the single-leader outcome of the same sales: every decrement kept', () => {
    const result = evaluateInvariants({ stock: [stock({ sold: 100, onHand: 0 }), stock({ productId: 2, restockedTotal: 20, sold: 120, onHand: 0 })], orders });
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ oversold: 0, 'lost-decrements': 0, 'lost-decrement-units': 0, 'oversold-units': 0 });
  });

  it('does not call stock that vanished without a sale a lost decrement', () => {
    const result = evaluateInvariants({ stock: [stock({ onHand: 80 })], orders });
    expect(result.counts).toMatchObject({ 'stock-not-conserved': 1, 'lost-decrement-units': 0 });
  });
});
