import { describe, expect, it } from 'vitest';
import { evaluateReadYourWrites, readYourWritesChecker } from '../../../src/harness/checker/read-your-writes-checker.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

// Customer 7 places order 100: invoked at 10, acknowledged at 12 (checkouts take 2 ms here).
function placed(): HistoryBuilder {
  const h = new HistoryBuilder();
  h.checkout({ orderId: 100, customerId: 7, at: 10 });
  return h;
}

describe('read-your-writes', () => {
  it('catches a read started after the acknowledgement that misses the order, naming the node', async () => {
    const h = placed();
    h.orderHistory({ customerId: 7, orderIds: [55], at: 20, node: 'replica2', took: 3 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ acknowledgedCheckouts: 1, reads: 1, readsChecked: 1, violations: 1, 'violations.replica2': 1, unjudgeable: 0 });
    expect(result.examples).toEqual([
      {
        customerId: 7,
        missingOrderIds: [100],
        checkoutAckedAt: 12,
        checkoutNode: 'primary',
        readId: 2,
        readNode: 'replica2',
        readInvokedAt: 20,
        readCompletedAt: 23,
        msAfterAck: 8,
        returnedOrderIds: [55],
      },
    ]);
    expect(result.explanation).toMatch(/served by replica2/);
  });

  it('passes when every later read lists the order', async () => {
    const h = placed();
    h.orderHistory({ customerId: 7, orderIds: [100, 55], at: 20 });
    h.orderHistory({ customerId: 7, orderIds: [100, 55], at: 30, node: 'primary' });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ readsChecked: 2, violations: 0, 'readsChecked.replica1': 1, 'readsChecked.primary': 1 });
  });

  it('does not judge a read concurrent with the write (started before the acknowledgement): vacuous, outside the coverage', async () => {
    const h = placed();
    h.orderHistory({ customerId: 7, orderIds: [], at: 11, took: 5 });
    h.orderHistory({ customerId: 7, orderIds: [], at: 12, took: 5 });
    h.orderHistory({ customerId: 7, orderIds: [100], at: 40 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ reads: 3, readsChecked: 1, violations: 0, nothingDue: 2 });
    expect(result.coverage).toEqual({ readsJudged: 1, readsWithPriorWrite: 1, reads: 3, share: 1 });
  });

  it('leaves reads of customers with no acknowledged checkout before them out of the coverage: they cannot miss a write', async () => {
    const h = placed();
    // 30 other customers read, none of them ever checked out: read-your-writes holds vacuously.
    for (let c = 0; c < 30; c++) h.orderHistory({ customerId: 500 + c, orderIds: [c], at: 20 + c });
    h.orderHistory({ customerId: 7, orderIds: [100, 7], at: 60 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ reads: 31, readsChecked: 1, nothingDue: 30, unjudgeable: 0 });
    expect(result.coverage).toEqual({ readsJudged: 1, readsWithPriorWrite: 1, reads: 31, share: 1 });
    expect(result.explanation).toMatch(/1 of 1 read that followed the customer's own acknowledged checkout judged \(100 %, bound 50 %\); the other 30 reads had no acknowledged checkout/);
  });

  it('still catches a violation among many vacuous reads', async () => {
    const h = placed();
    for (let c = 0; c < 30; c++) h.orderHistory({ customerId: 500 + c, orderIds: [], at: 20 + c });
    h.orderHistory({ customerId: 7, orderIds: [7], at: 60 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 1, nothingDue: 30 });
  });

  it('is unknown, not valid, when fewer reads than the bound were judged among those after a write (coverage beside the verdict)', async () => {
    const h = new HistoryBuilder();
    // Orders 200..219 overlap order 100's checkout: two full pages without 100 cannot be judged.
    h.checkout({ orderId: 100, customerId: 7, at: 10, took: 20 });
    for (let i = 0; i < 20; i++) h.checkout({ orderId: 200 + i, customerId: 7, at: 12, took: 10 });
    const page = Array.from({ length: 20 }, (_, i) => 219 - i);
    h.orderHistory({ customerId: 7, orderIds: page, at: 40 });
    h.orderHistory({ customerId: 7, orderIds: page, at: 50 });
    h.checkout({ orderId: 300, customerId: 9, at: 40 });
    h.orderHistory({ customerId: 9, orderIds: [300], at: 60 });
    h.orderHistory({ customerId: 8, orderIds: [], at: 61 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.bound).toEqual({ minCoverage: 0.5 });
    expect(result.counts).toMatchObject({ reads: 4, readsChecked: 1, unjudgeable: 2, nothingDue: 1 });
    expect(result.coverage).toEqual({ readsJudged: 1, readsWithPriorWrite: 3, reads: 4, share: 0.333 });
    expect(result.explanation).toMatch(/only 1 of 3 reads that followed the customer's own acknowledged checkout judged \(33 %, bound 50 %\)/);
    expect((await evaluateReadYourWrites(h.build(), { minCoverage: 0.3 })).verdict).toBe('valid');
  });

  it('stays invalid below the coverage bound: a proven violation needs no coverage', async () => {
    const h = placed();
    h.orderHistory({ customerId: 7, orderIds: [], at: 11, took: 5 });
    h.orderHistory({ customerId: 7, orderIds: [], at: 12, took: 5 });
    h.orderHistory({ customerId: 7, orderIds: [55], at: 40 });
    expect((await evaluateReadYourWrites(h.build(), { minCoverage: 0.9 })).verdict).toBe('invalid');
  });

  it('counts a full page without the order apart as unjudged when its orders overlap the checkout in time', async () => {
    const h = new HistoryBuilder();
    // Orders 200..219 were placed while order 100's checkout ran: none is certainly older or newer.
    h.checkout({ orderId: 100, customerId: 7, at: 10, took: 20 });
    for (let i = 0; i < 20; i++) h.checkout({ orderId: 200 + i, customerId: 7, at: 12, took: 10 });
    const page = Array.from({ length: 20 }, (_, i) => 219 - i);
    h.orderHistory({ customerId: 7, orderIds: page, at: 40 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.counts).toMatchObject({ reads: 1, readsChecked: 0, violations: 0, unjudgeable: 1 });
    expect(result.coverage).toMatchObject({ readsJudged: 0, reads: 1 });
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/1 read returned a full page of 20 orders/);
  });

  it('judges a full page of orders certainly newer as consistent: the order fell off the page', async () => {
    const h = placed();
    const page = Array.from({ length: 20 }, (_, i) => 300 + i);
    for (const id of page) h.checkout({ orderId: id, customerId: 7, at: 20 });
    h.orderHistory({ customerId: 7, orderIds: [...page].reverse(), at: 40 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 0, unjudgeable: 0 });
  });

  it('judges a full page of seeded orders (older than any run order) as proof the new order is missing', async () => {
    const h = placed();
    h.orderHistory({ customerId: 7, orderIds: Array.from({ length: 20 }, (_, i) => 50 - i), at: 40 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 1, unjudgeable: 0 });
  });

  it('still judges a full page that lists an order certainly older than the missing one', async () => {
    // Orders 1..20 were acknowledged (at 3 ms) before order 100's checkout began (at 10 ms), so
    // order 100 is newer than every one of them and belongs on a page of the 20 newest.
    const h = new HistoryBuilder();
    for (let id = 1; id <= 20; id++) h.checkout({ orderId: id, customerId: 7, at: 1 });
    h.checkout({ orderId: 100, customerId: 7, at: 10 });
    h.orderHistory({ customerId: 7, orderIds: Array.from({ length: 20 }, (_, i) => 20 - i), at: 20 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 1, unjudgeable: 0 });
  });

  it('judges a full page that holds the order as consistent, whatever else it lists', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 100, customerId: 7, at: 10, took: 20 });
    for (let i = 0; i < 19; i++) h.checkout({ orderId: 200 + i, customerId: 7, at: 12, took: 10 });
    h.orderHistory({ customerId: 7, orderIds: [...Array.from({ length: 19 }, (_, i) => 218 - i), 100], at: 40 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 0, unjudgeable: 0 });
  });

  it('proves the order missing from a full page of overlapping orders that also lists one seeded order', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 100, customerId: 7, at: 10, took: 20 });
    for (let i = 0; i < 19; i++) h.checkout({ orderId: 200 + i, customerId: 7, at: 12, took: 10 });
    // Seeded order 7 predates the run, so it is older than 100: a page of the 20 newest would hold 100 first.
    h.orderHistory({ customerId: 7, orderIds: [...Array.from({ length: 19 }, (_, i) => 218 - i), 7], at: 40 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ readsChecked: 1, violations: 1, unjudgeable: 0 });
    expect(result.examples[0]).toMatchObject({ missingOrderIds: [100] });
  });

  it('dates overlapping checkouts by an earlier page that listed both: the order below the listed one fell off', async () => {
    const h = new HistoryBuilder();
    // Order 100 overlaps 219; 200..218 are certainly newer than 100. A first page shows 219 above 100.
    h.checkout({ orderId: 100, customerId: 7, at: 10, took: 20 });
    h.checkout({ orderId: 219, customerId: 7, at: 12, took: 10 });
    h.orderHistory({ customerId: 7, orderIds: [219, 100], at: 35, node: 'primary' });
    for (let i = 0; i < 19; i++) h.checkout({ orderId: 200 + i, customerId: 7, at: 40 });
    h.orderHistory({ customerId: 7, orderIds: [...Array.from({ length: 19 }, (_, i) => 218 - i), 219], at: 60 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ reads: 2, readsChecked: 2, violations: 0, unjudgeable: 0 });
  });

  it('dates overlapping checkouts by an earlier page that listed both: the page lists one older than the missing order', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 100, customerId: 7, at: 10, took: 20 });
    h.checkout({ orderId: 219, customerId: 7, at: 12, took: 10 });
    // This time 100 is the newer of the two: a page of the 20 newest holding 219 must hold 100.
    h.orderHistory({ customerId: 7, orderIds: [100, 219], at: 35, node: 'primary' });
    for (let i = 0; i < 19; i++) h.checkout({ orderId: 200 + i, customerId: 7, at: 40 });
    h.orderHistory({ customerId: 7, orderIds: [...Array.from({ length: 19 }, (_, i) => 218 - i), 219], at: 60 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ reads: 2, readsChecked: 2, violations: 1, unjudgeable: 0 });
    expect(result.examples[0]).toMatchObject({ missingOrderIds: [100], readId: 23 });
  });

  it('demands nothing of checkouts with an unknown outcome, nor across customers', async () => {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 100, customerId: 7, at: 10, outcome: 'info' });
    h.checkout({ orderId: 101, customerId: 8, at: 10 });
    h.orderHistory({ customerId: 7, orderIds: [], at: 20 });
    h.orderHistory({ customerId: 8, orderIds: [101], at: 20 });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ reads: 2, readsChecked: 1, violations: 0 });
  });

  it('ignores failed reads', async () => {
    const h = placed();
    h.orderHistory({ customerId: 7, orderIds: [], at: 20, outcome: 'fail', error: 'connection' });
    const result = await evaluateReadYourWrites(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.counts).toMatchObject({ reads: 0, readsChecked: 0 });
  });

  it('is unknown when no read followed a write of the same customer', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 7, orderIds: [], at: 5 });
    h.checkout({ orderId: 100, customerId: 7, at: 10 });
    expect((await evaluateReadYourWrites(h.build())).verdict).toBe('unknown');
  });

  it('as a Checker: reads the history file', async () => {
    const h = placed();
    h.orderHistory({ customerId: 7, orderIds: [], at: 20 });
    const historyPath = await writeHistoryFile(h.jsonl());
    const result = await readYourWritesChecker.check({ historyPath, finalState: fakeNode(() => []) });
    expect(result.verdict).toBe('invalid');
  });
});
