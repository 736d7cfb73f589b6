import { describe, expect, it } from 'vitest';
import { evaluateInvariants, invariantsChecker, type StockRow } from '../../../src/harness/checker/invariants-checker.ts';
import { stockBreaches, stockMovements } from '../../../src/harness/checker/stock-ledger.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

// Product 5 in warehouse 1 starts with 2 units.
const sell = (h: HistoryBuilder, at: number, quantity: number, spec: { node?: string; outcome?: 'ok' | 'fail' | 'info' } = {}) =>
  h.op('checkout', {
    at,
    ...spec,
    args: { orderId: 100 + at, customerId: 1, warehouseId: 1, items: [{ productId: 5, quantity }], paymentMethod: 'card', carrier: 'UPS' },
    value: { orderId: 100 + at, customerId: 1, total: 10 },
  });
const restock = (h: HistoryBuilder, at: number, quantity: number, outcome: 'ok' | 'fail' | 'info' = 'ok') =>
  h.op('restock', { at, outcome, args: { productId: 5, warehouseId: 1, quantity }, value: { productId: 5, warehouseId: 1, quantity } });

const initial = new Map([['5:1', 2]]);
// The final state of the transient case looks perfect: 2 + 10 restocked = 9 on hand + 3 sold.
const finalRow: StockRow = { productId: 5, warehouseId: 1, onHand: 9, initialOnHand: 2, restockedTotal: 10, sold: 3 };

async function breaches(h: HistoryBuilder) {
  const { movements } = await stockMovements(h.build());
  return stockBreaches(movements, initial);
}

describe('invariants over time (stock replayed from the history)', () => {
  it('catches stock that went to -1 and was restocked later: invalid, with when and where, though the final state is clean', async () => {
    const h = new HistoryBuilder();
    sell(h, 10, 2, { node: 'us-east' });
    sell(h, 20, 1, { node: 'eu-west' });
    restock(h, 40, 10);
    const found = await breaches(h);
    expect(found).toEqual([{ productId: 5, warehouseId: 1, firstAt: 22, node: 'eu-west', opId: 2, lowest: -1, lowestAt: 22, atEnd: false }]);
    const { checkouts, restocks } = await stockMovements(h.build());
    expect(evaluateInvariants({ stock: [finalRow], orders: [] }).verdict).toBe('valid');
    const result = evaluateInvariants({ stock: [finalRow], orders: [] }, { breaches: found, checkouts, restocks });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ 'stock-negative-during-run': 1, 'stock-negative-transient': 1, 'negative-stock': 0 });
    expect(result.examples[0]).toMatchObject({ invariant: 'stock-negative-during-run', productId: 5, node: 'eu-west', when: 't=0.022 s' });
    expect(result.explanation).toMatch(/first went below zero at t=0\.022 s: product 5 in warehouse 1, with the checkout acknowledged by eu-west .* later restocks brought it back up/);
    expect(result.bound).toMatchObject({ minStock: 0 });
    expect(result.coverage).toMatchObject({ checkoutsReplayed: 2, restocksReplayed: 1 });
  });

  it('passes when a restock began before the sale that needed it, and ignores failed sales', async () => {
    const h = new HistoryBuilder();
    sell(h, 10, 2);
    restock(h, 15, 10, 'info'); // may have happened: counted as supply
    sell(h, 20, 1);
    sell(h, 30, 50, { outcome: 'fail' });
    expect(await breaches(h)).toEqual([]);
  });

  it('does not count a failed restock as supply', async () => {
    const h = new HistoryBuilder();
    restock(h, 5, 10, 'fail');
    sell(h, 10, 3);
    expect(await breaches(h)).toMatchObject([{ lowest: -1, atEnd: true }]);
  });

  it('as a Checker: replays the history file against the initial stock of the final state', async () => {
    const h = new HistoryBuilder();
    sell(h, 10, 2);
    sell(h, 20, 1);
    restock(h, 40, 10);
    const historyPath = await writeHistoryFile(h.jsonl());
    const finalState = fakeNode((text) =>
      text.includes('FROM inventory') ? [{ product_id: '5', warehouse_id: 1, on_hand: '9', initial_on_hand: '2', restocked_total: '10', sold: '3' }] : [],
    );
    const result = await invariantsChecker.check({ historyPath, finalState });
    expect(result.verdict).toBe('invalid');
    expect(result.counts['stock-negative-during-run']).toBe(1);
  });
});
