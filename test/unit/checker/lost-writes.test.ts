import { describe, expect, it } from 'vitest';
import { evaluateLostWrites, lostWritesChecker } from '../../../src/harness/checker/lost-writes-checker.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

describe('lost-writes', () => {
  it('finds acknowledged checkouts missing from the final primary, with the RPO span', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 101, customerId: 1, at: 1000, took: 5 });
    h.checkout({ orderId: 102, customerId: 2, at: 2000, took: 5, node: 'primary' });
    h.checkout({ orderId: 103, customerId: 3, at: 2500, took: 10 });
    const result = await evaluateLostWrites(h.build(), new Set([101]));
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ acknowledged: 3, lost: 2, rpoMs: 505, indeterminate: 0 });
    expect(result.examples).toEqual([
      { orderId: 102, customerId: 2, ackedAt: 2005, node: 'primary', opId: 2 },
      { orderId: 103, customerId: 3, ackedAt: 2510, node: 'primary', opId: 3 },
    ]);
    expect(result.explanation).toMatch(/2 of 3 acknowledged checkouts are missing/);
    expect(result.explanation).toMatch(/RPO\) of 505 ms/);
  });

  it('gives rpoMs 0 for a single lost order', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 1, customerId: 1, at: 10 });
    const result = await evaluateLostWrites(h.build(), new Set());
    expect(result.counts).toMatchObject({ lost: 1, rpoMs: 0 });
  });

  it('passes when every acknowledged checkout is present', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 101, customerId: 1, at: 1000 });
    h.checkout({ orderId: 102, customerId: 2, at: 1001 });
    const result = await evaluateLostWrites(h.build(), new Set([101, 102, 55]));
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ acknowledged: 2, lost: 0, rpoMs: 0 });
    expect(result.examples).toEqual([]);
  });

  it('never counts an unknown outcome as lost, and reports how many of them committed', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 1, customerId: 1, at: 100 });
    h.checkout({ orderId: 2, customerId: 2, at: 200, outcome: 'info', error: 'connection' });
    h.checkout({ orderId: 3, customerId: 3, at: 300, outcome: 'info', error: 'timeout' });
    h.checkout({ orderId: 4, customerId: 4, at: 400, outcome: 'none' });
    const result = await evaluateLostWrites(h.build(), new Set([1, 2]));
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ acknowledged: 1, lost: 0, indeterminate: 3, indeterminateCommitted: 1 });
    expect(result.explanation).toMatch(/3 checkouts ended with an unknown outcome.*1 of them did commit and 2 did not/);
  });

  it('takes the order id from the invoke when an info completion carries no value', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 1, customerId: 1, at: 100 });
    h.op('checkout', { at: 200, outcome: 'info', error: 'timeout', args: { orderId: 2, customerId: 2, warehouseId: 1, items: [] } });
    const result = await evaluateLostWrites(h.build(), new Set([1, 2]));
    expect(result.counts).toMatchObject({ lost: 0, indeterminate: 1, indeterminateCommitted: 1 });
  });

  it('ignores failed checkouts: they certainly did not commit and are not promised', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 1, customerId: 1, at: 100 });
    h.checkout({ orderId: 2, customerId: 2, at: 200, outcome: 'fail', error: 'out-of-stock' });
    const result = await evaluateLostWrites(h.build(), new Set([1]));
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ acknowledged: 1, indeterminate: 0 });
  });

  it('is unknown when no checkout was acknowledged', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 2, customerId: 2, at: 200, outcome: 'info' });
    h.orderHistory({ customerId: 2, orderIds: [], at: 300 });
    const result = await evaluateLostWrites(h.build(), new Set());
    expect(result.verdict).toBe('unknown');
    expect(result.counts).toMatchObject({ acknowledged: 0, indeterminate: 1 });
  });

  it('keeps at most ten examples however many orders were lost', async () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 25; i++) h.checkout({ orderId: 1000 + i, customerId: i, at: i * 10 });
    const result = await evaluateLostWrites(h.build(), new Set());
    expect(result.counts.lost).toBe(25);
    expect(result.examples).toHaveLength(10);
    expect(result.counts.rpoMs).toBe(240);
  });

  it('asks a lookup in batches, holding one batch of checkouts at a time', async () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 12_000; i++) h.checkout({ orderId: i, customerId: i, at: i, took: 1 });
    const asked: number[] = [];
    const result = await evaluateLostWrites(h.build(), async (ids) => {
      asked.push(ids.length);
      return new Set(ids.filter((id) => id !== 7_777));
    });
    expect(asked).toEqual([5000, 5000, 2000]);
    expect(result.counts).toMatchObject({ acknowledged: 12_000, lost: 1 });
    expect(result.examples).toEqual([expect.objectContaining({ orderId: 7_777 })]);
  });

  it('as a Checker: reads the history file and asks the final primary which orders exist', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 11, customerId: 1, at: 100 });
    h.checkout({ orderId: 12, customerId: 1, at: 200 });
    const historyPath = await writeHistoryFile(h.jsonl());
    const queries: string[] = [];
    const finalState = fakeNode((text, values) => {
      queries.push(text);
      if (!text.includes('FROM orders')) return [];
      const ids = values[0] as number[];
      return ids.filter((id) => id === 11).map((id) => ({ id: String(id) }));
    });
    const result = await lostWritesChecker.check({ historyPath, finalState });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ acknowledged: 2, lost: 1, 'checkout.lost': 1, 'lost.primary': 1 });
    // One snapshot; only checkouts were written, so only orders are asked about.
    expect(queries.filter((q) => q.includes('SELECT'))).toHaveLength(1);
    expect(queries.find((q) => q.includes('SELECT'))).toMatch(/FROM orders WHERE id = ANY/);
  });
});
