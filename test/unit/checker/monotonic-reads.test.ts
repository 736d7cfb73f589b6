import { describe, expect, it } from 'vitest';
import { evaluateMonotonicReads, monotonicReadsChecker } from '../../../src/harness/checker/monotonic-reads-checker.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

const fullPage = (without: number) => Array.from({ length: 20 }, (_, i) => 1000 + i).filter((id) => id !== without);

describe('monotonic-reads', () => {
  it('catches an order that vanishes between two reads of the same customer', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [2, 1], at: 10, took: 2, node: 'replica1' });
    h.orderHistory({ customerId: 3, orderIds: [1], at: 20, took: 2, node: 'replica2' });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ reads: 2, readsChecked: 1, violations: 1, 'violations.replica2': 1, unjudgeable: 0 });
    expect(result.examples).toEqual([
      {
        customerId: 3,
        missingOrderIds: [2],
        earlierRead: { id: 1, node: 'replica1', completedAt: 12 },
        laterRead: { id: 2, node: 'replica2', invokedAt: 20, returned: 1 },
        msBetween: 8,
      },
    ]);
    expect(result.explanation).toMatch(/customer 3 saw order 2 on replica1, then 8 ms later read from replica2/);
  });

  it('passes when each later read contains what earlier ones showed', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [1], at: 10 });
    h.orderHistory({ customerId: 3, orderIds: [2, 1], at: 20 });
    h.orderHistory({ customerId: 3, orderIds: [3, 2, 1], at: 30, node: 'replica2' });
    h.orderHistory({ customerId: 4, orderIds: [], at: 31 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ reads: 4, readsChecked: 2, violations: 0 });
  });

  it('does not order reads that overlap: B began before A returned', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [2, 1], at: 10, took: 10 });
    h.orderHistory({ customerId: 3, orderIds: [1], at: 15, took: 10 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.counts).toMatchObject({ readsChecked: 0, violations: 0 });
    expect(result.verdict).toBe('unknown');
  });

  it('counts a full page missing an earlier order as unjudgeable, and still remembers the order', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [1000, 5], at: 10 });
    h.orderHistory({ customerId: 3, orderIds: fullPage(5), at: 20 });
    // A short page after a full one is judged against both earlier reads: order 5 is still due.
    h.orderHistory({ customerId: 3, orderIds: [1000], at: 30 });
    const result = await evaluateMonotonicReads(h.build());
    // Seeded orders 5 and 1001..1019: the history cannot date them against each other.
    expect(result.counts).toMatchObject({ reads: 3, readsChecked: 1, unjudgeable: 1, violations: 1, nothingToCompare: 1 });
    // The first read had nothing to compare with: outside the coverage; the unjudged page stays in it.
    expect(result.coverage).toEqual({ readsJudged: 1, readsWithEarlierRead: 2, reads: 3, share: 0.5 });
    expect(result.examples[0]).toMatchObject({ laterRead: { id: 3, returned: 1 } });
    expect((result.examples[0] as { missingOrderIds: number[] }).missingOrderIds).toContain(5);
  });

  it('still judges a full page that lists an order certainly older than the missing one', async () => {
    // Orders 1..20 were acknowledged (at 3 ms) before order 100's checkout began (at 10 ms), so a
    // page of the 20 newest cannot list them all and leave out order 100.
    const h = new HistoryBuilder();
    for (let id = 1; id <= 20; id++) h.checkout({ orderId: id, customerId: 3, at: 1 });
    h.checkout({ orderId: 100, customerId: 3, at: 10 });
    h.orderHistory({ customerId: 3, orderIds: [100], at: 20 });
    h.orderHistory({ customerId: 3, orderIds: Array.from({ length: 20 }, (_, i) => 20 - i), at: 30 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ violations: 1, unjudgeable: 0 });
  });

  it('proves a full page wrong from an earlier page\'s order: it lists an order the earlier page put below the missing one', async () => {
    const h = new HistoryBuilder();
    // Seeded orders, newest first: 7 is newer than 6, which the later full page lists without 7.
    h.orderHistory({ customerId: 3, orderIds: [7, 6], at: 10 });
    h.orderHistory({ customerId: 3, orderIds: [6, ...Array.from({ length: 19 }, (_, i) => 500 - i)], at: 20 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 1, unjudgeable: 0 });
  });

  it('judges a full page of newer orders as consistent (the order fell off)', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 100, customerId: 3, at: 1 });
    h.orderHistory({ customerId: 3, orderIds: [100], at: 10 });
    const newer = Array.from({ length: 20 }, (_, i) => 200 + i);
    for (const id of newer) h.checkout({ orderId: id, customerId: 3, at: 15 });
    h.orderHistory({ customerId: 3, orderIds: [...newer].reverse(), at: 30 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.counts).toMatchObject({ reads: 2, readsChecked: 1, violations: 0, unjudgeable: 0, nothingToCompare: 1 });
    expect(result.verdict).toBe('valid');
    expect(result.bound).toEqual({ minCoverage: 0.5 });
    expect(result.coverage).toEqual({ readsJudged: 1, readsWithEarlierRead: 1, reads: 2, share: 1 });
  });

  it('is unknown below minCoverage: full pages it cannot date against the missing order count against coverage', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [1000, 5], at: 10 });
    // Two full pages of seeded orders without 5: none can be dated against it.
    h.orderHistory({ customerId: 3, orderIds: fullPage(5), at: 20 });
    h.orderHistory({ customerId: 3, orderIds: fullPage(5), at: 30 });
    h.orderHistory({ customerId: 4, orderIds: [9], at: 10 });
    h.orderHistory({ customerId: 4, orderIds: [9], at: 20 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.counts).toMatchObject({ reads: 5, readsChecked: 1, unjudgeable: 2, violations: 0, nothingToCompare: 2 });
    expect(result.coverage).toEqual({ readsJudged: 1, readsWithEarlierRead: 3, reads: 5, share: 0.333 });
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/only 1 of 3 reads that followed an earlier read listing orders judged \(33 %, bound 50 %\)/);
    expect((await evaluateMonotonicReads(h.build(), { minCoverage: 0.3 })).verdict).toBe('valid');
  });

  it('leaves first reads, and reads after pages that listed nothing, out of the coverage: nothing could vanish', async () => {
    const h = new HistoryBuilder();
    // 30 customers read once; customer 5 reads an empty page twice, then sees an order, then again.
    for (let c = 0; c < 30; c++) h.orderHistory({ customerId: 100 + c, orderIds: [c], at: 10 + c });
    h.orderHistory({ customerId: 5, orderIds: [], at: 10 });
    h.orderHistory({ customerId: 5, orderIds: [], at: 20 });
    h.orderHistory({ customerId: 5, orderIds: [42], at: 30 });
    h.orderHistory({ customerId: 5, orderIds: [42], at: 40 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ reads: 34, readsChecked: 1, nothingToCompare: 33, unjudgeable: 0 });
    expect(result.coverage).toEqual({ readsJudged: 1, readsWithEarlierRead: 1, reads: 34, share: 1 });
    expect(result.explanation).toMatch(/the other 33 reads followed no earlier read of their customer that had listed an order/);
  });

  it('still catches a read going back in time among many vacuous reads', async () => {
    const h = new HistoryBuilder();
    for (let c = 0; c < 30; c++) h.orderHistory({ customerId: 100 + c, orderIds: [], at: 10 + c });
    h.orderHistory({ customerId: 5, orderIds: [42], at: 30 });
    h.orderHistory({ customerId: 5, orderIds: [], at: 40, node: 'replica2' });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 1, nothingToCompare: 31 });
  });

  it('judges a full page that still holds the order seen before as consistent', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [1000, 5], at: 10 });
    h.orderHistory({ customerId: 3, orderIds: [...fullPage(5).slice(0, 19), 5], at: 20 });
    const result = await evaluateMonotonicReads(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 0, unjudgeable: 0 });
  });

  it('dates the missing order by any earlier page, not only the one that showed it', async () => {
    // Seeded orders 6 and 7: read 1 shows 7; read 2 (another page) shows 7 above 6; read 3, a full
    // page, lists 19 run orders (newer than any seeded one) and 6, without 7.
    const later = [...Array.from({ length: 19 }, (_, i) => 500 - i), 6];
    const h = new HistoryBuilder();
    for (const id of later.slice(0, 19)) h.checkout({ orderId: id, customerId: 3, at: 1 });
    h.orderHistory({ customerId: 3, orderIds: [7], at: 10 });
    h.orderHistory({ customerId: 3, orderIds: [7, 6], at: 20 });
    h.orderHistory({ customerId: 3, orderIds: later, at: 30 });
    const bad = await evaluateMonotonicReads(h.build());
    expect(bad.verdict).toBe('invalid');
    expect(bad.counts).toMatchObject({ readsChecked: 2, violations: 1, unjudgeable: 0 });
    // The same full page is consistent when a page showed 7 below 6: 7 fell off.
    const g = new HistoryBuilder();
    for (const id of later.slice(0, 19)) g.checkout({ orderId: id, customerId: 3, at: 1 });
    g.orderHistory({ customerId: 3, orderIds: [7], at: 10 });
    g.orderHistory({ customerId: 3, orderIds: [6, 7], at: 20 });
    g.orderHistory({ customerId: 3, orderIds: later, at: 30 });
    const good = await evaluateMonotonicReads(g.build());
    expect(good.counts).toMatchObject({ readsChecked: 2, violations: 0, unjudgeable: 0 });
    expect(good.verdict).toBe('valid');
  });

  it('is unknown when no customer read twice', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [1], at: 10 });
    h.orderHistory({ customerId: 4, orderIds: [2], at: 20 });
    expect((await evaluateMonotonicReads(h.build())).verdict).toBe('unknown');
  });

  it('as a Checker: reads the history file', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [2, 1], at: 10 });
    h.orderHistory({ customerId: 3, orderIds: [2, 1], at: 20 });
    const historyPath = await writeHistoryFile(h.jsonl());
    expect((await monotonicReadsChecker.check({ historyPath, finalState: fakeNode(() => []) })).verdict).toBe('valid');
  });
});
