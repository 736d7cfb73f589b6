import { describe, expect, it } from 'vitest';
import { gatherWrites } from '../../../src/harness/checker/acknowledged-writes.ts';
import type { FinalWrites } from '../../../src/harness/checker/final-state.ts';
import { lostWritesChecker } from '../../../src/harness/checker/lost-writes-checker.ts';
import { judgeNode, writeVerdict } from '../../../src/harness/checker/write-judgement.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

const restock = (h: HistoryBuilder, at: number, quantity: number, outcome: 'ok' | 'info' = 'ok', worker = 0) =>
  h.op('restock', { at, outcome, worker, args: { productId: 5, warehouseId: 1, quantity }, value: { productId: 5, warehouseId: 1, quantity } });
const rate = (h: HistoryBuilder, at: number, stars: number, took = 2) =>
  h.op('rate-product', { at, took, args: { customerId: 3, productId: 9, stars }, value: { customerId: 3, productId: 9, stars } });

const empty: FinalWrites = { orders: new Set(), restocked: new Map(), cartLines: new Set(), ratings: new Map(), recommendations: new Map() };

async function verdict(h: HistoryBuilder, finals: Record<string, Partial<FinalWrites>>, unread: Record<string, string> = {}) {
  const writes = await gatherWrites(h.build());
  const judged = Object.fromEntries(Object.entries(finals).map(([node, f]) => [node, judgeNode(node, writes, { ...empty, ...f })]));
  return writeVerdict({ writes, judged, unread });
}

describe('lost-writes over every write kind', () => {
  it('a lost acknowledged restock is invalid (not unknown), with the units and the restocks that explain them', async () => {
    const h = new HistoryBuilder();
    restock(h, 10, 20);
    restock(h, 20, 30);
    restock(h, 30, 5, 'info');
    // restocked_total shows only one of the acknowledged restocks: 30 units are missing.
    const result = await verdict(h, { primary: { restocked: new Map([['5:1', 20]]) } });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ 'restock.acknowledged': 2, 'restock.lost': 1, lost: 1, indeterminate: 1, 'lost.primary': 1 });
    expect(result.examples[0]).toMatchObject({ kind: 'restock', productId: 5, warehouseId: 1, acknowledgedUnits: 50, restockedTotal: 20, missingUnits: 30, missingOn: ['primary'] });
    expect(result.bound).toEqual({ maxLost: 0 });
  });

  it('passes restocks whose units are all in restocked_total (an uncertain one may add more)', async () => {
    const h = new HistoryBuilder();
    restock(h, 10, 20);
    restock(h, 20, 30, 'info');
    const result = await verdict(h, { primary: { restocked: new Map([['5:1', 50]]) } });
    expect(result.verdict).toBe('valid');
    expect(result.coverage).toEqual({ writesJudged: 1, acknowledged: 1, nodesRead: 1, nodes: 1 });
  });

  it('judges an order missing on one replica as lost there, naming the node', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 11, customerId: 1, at: 10 });
    const result = await verdict(h, { primary: { orders: new Set([11]) }, replica1: { orders: new Set() } });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ 'checkout.lost': 1, 'lost.primary': 0, 'lost.replica1': 1 });
    expect(result.examples[0]).toMatchObject({ kind: 'checkout', orderId: 11, missingOn: ['replica1'] });
  });

  it('is unknown, naming the node, when a node that must hold the writes could not be read', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 11, customerId: 1, at: 10 });
    const result = await verdict(h, { primary: { orders: new Set([11]) } }, { replica2: 'not running' });
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/replica2 \(not running\) could not be read/);
    expect(result.coverage).toMatchObject({ nodesRead: 1, nodes: 2 });
  });

  it('a rating overwritten by an older value is lost; the newest, or a concurrent one, is kept', async () => {
    const h = new HistoryBuilder();
    rate(h, 10, 2);
    rate(h, 20, 5);
    expect((await verdict(h, { primary: { ratings: new Map([['3:9', '2']]) } })).counts['rate-product.lost']).toBe(1);
    expect((await verdict(h, { primary: { ratings: new Map([['3:9', '5']]) } })).verdict).toBe('valid');
    const concurrent = new HistoryBuilder();
    rate(concurrent, 10, 2, 20);
    rate(concurrent, 20, 5);
    expect((await verdict(concurrent, { primary: { ratings: new Map([['3:9', '2']]) } })).verdict).toBe('valid');
  });

  it('a missing cart line is lost unless an expiry sweep ran late enough to remove it (then unjudged)', async () => {
    const h = new HistoryBuilder();
    h.op('add-to-cart', { at: 10, args: { customerId: 3, productId: 9, quantity: 1 }, value: { cartId: 3 } });
    expect((await verdict(h, { primary: {} })).counts['add-to-cart.lost']).toBe(1);
    h.op('expire-carts', { at: 1000, args: { idleMs: 500, limit: 100 }, value: { deleted: 1 } });
    // Nothing left that could be judged: unknown, not valid.
    expect((await verdict(h, { primary: {} })).verdict).toBe('unknown');
    h.checkout({ orderId: 11, customerId: 1, at: 20 });
    const swept = await verdict(h, { primary: { orders: new Set([11]) } });
    expect(swept.verdict).toBe('valid');
    expect(swept.counts).toMatchObject({ 'add-to-cart.unjudged': 1, 'expire-carts.acknowledged': 1, 'expire-carts.unjudged': 1 });
    expect(swept.explanation).toMatch(/expire-carts deletes carts it does not name/);
  });

  it('recommendations: the final list must be one the newest acknowledged call (or a later one) wrote', async () => {
    const h = new HistoryBuilder();
    h.op('recommendations', { at: 10, args: { customerId: 3 }, value: { customerId: 3, productIds: [4, 8] } });
    expect((await verdict(h, { primary: { recommendations: new Map([[3, '{4,8}']]) } })).verdict).toBe('valid');
    expect((await verdict(h, { primary: { recommendations: new Map([[3, '{}']]) } })).counts['recommendations.lost']).toBe(1);
  });

  it('as a Checker: reads every node of a full-copy topology; a node without a connection makes it unknown', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 11, customerId: 1, at: 10 });
    restock(h, 20, 7);
    const historyPath = await writeHistoryFile(h.jsonl());
    const node = fakeNode((text) => {
      if (text.includes('FROM orders')) return [{ id: '11' }];
      if (text.includes('FROM inventory')) return [{ k: '5:1', v: '7' }];
      return [];
    });
    const ctx = { historyPath, finalState: node, nodeStates: { primary: node, replica1: node }, primaryNode: 'primary' };
    expect((await lostWritesChecker.check({ ...ctx, nodeNames: ['primary', 'replica1'] })).verdict).toBe('valid');
    const down = await lostWritesChecker.check({ ...ctx, nodeNames: ['primary', 'replica1', 'replica2'] });
    expect(down.verdict).toBe('unknown');
    expect(down.explanation).toMatch(/replica2/);
  });
});
