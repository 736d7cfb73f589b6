import { describe, expect, it } from 'vitest';
import { evaluateLostWrites, lostWritesChecker } from '../../../src/harness/checker/lost-writes-checker.ts';
import { evaluateMonotonicReads } from '../../../src/harness/checker/monotonic-reads-checker.ts';
import { evaluateReadYourWrites, readYourWritesChecker } from '../../../src/harness/checker/read-your-writes-checker.ts';
import { assignClientRegions } from '../../../src/harness/regions/client-regions.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

// Two regions, two workers each, split as the driver splits them: workers 0-1 us-east, 2-3 eu-west.
const placements = assignClientRegions({ 'us-east': { customers: ['NA'], clients: 1 }, 'eu-west': { customers: ['EMEA'], clients: 1 } }, 4)!;
const regionOfWorker = (worker: number) => placements[worker]?.region;
const US = 0;
const EU = 2;

const regionKeys = (counts: Record<string, number>) => Object.keys(counts).filter((key) => key.includes('@'));

describe('lost-writes by client region', () => {
  // An EU acknowledgement comes first in the history: the counts still list regions as declared.
  function history(): HistoryBuilder {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 1, customerId: 1, at: 10, worker: EU });
    h.checkout({ orderId: 2, customerId: 2, at: 20, worker: US });
    h.checkout({ orderId: 3, customerId: 3, at: 30, worker: US + 1 });
    h.checkout({ orderId: 4, customerId: 4, at: 40, worker: EU + 1 });
    h.checkout({ orderId: 5, customerId: 5, at: 50, worker: EU, outcome: 'info' });
    return h;
  }

  it('counts each lost order in the region of the worker that got the acknowledgement; regions add up to the totals', async () => {
    const result = await evaluateLostWrites(history().build(), new Set([2, 5]), regionOfWorker);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toEqual({
      acknowledged: 4,
      lost: 3,
      rpoMs: 30,
      indeterminate: 1,
      indeterminateCommitted: 1,
      'acknowledged@us-east': 2,
      'acknowledged@eu-west': 2,
      'lost@us-east': 1,
      'lost@eu-west': 2,
    });
  });

  it('shows a region that lost nothing as 0, and the verdict stays global', async () => {
    const result = await evaluateLostWrites(history().build(), new Set([1, 4]), regionOfWorker);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ lost: 2, 'lost@us-east': 2, 'lost@eu-west': 0 });
    const valid = await evaluateLostWrites(history().build(), new Set([1, 2, 3, 4]), regionOfWorker);
    expect(valid.verdict).toBe('valid');
    expect(valid.counts).toMatchObject({ 'lost@us-east': 0, 'lost@eu-west': 0 });
  });

  it('adds nothing without regions', async () => {
    const result = await evaluateLostWrites(history().build(), new Set([2, 5]));
    expect(Object.keys(result.counts)).toEqual(['acknowledged', 'lost', 'rpoMs', 'indeterminate', 'indeterminateCommitted']);
  });

  it('as a Checker: takes the regions from the check context', async () => {
    const historyPath = await writeHistoryFile(history().jsonl());
    const finalState = fakeNode((text, values) => (text.includes('FROM orders') ? (values[0] as number[]).filter((id) => id === 2).map((id) => ({ id: String(id) })) : []));
    const result = await lostWritesChecker.check({ historyPath, finalState, regionOfWorker });
    expect(result.counts).toMatchObject({ 'lost@us-east': 1, 'lost@eu-west': 2 });
  });
});

describe('read-your-writes by client region', () => {
  // Customer 7 (EU) and customer 8 (US) each place an order; only the EU read misses it.
  function history(): HistoryBuilder {
    const h = new HistoryBuilder();
    h.checkout({ orderId: 100, customerId: 7, at: 10, worker: EU });
    h.checkout({ orderId: 200, customerId: 8, at: 10, worker: US });
    h.orderHistory({ customerId: 7, orderIds: [], at: 20, worker: EU, node: 'eu-west' });
    h.orderHistory({ customerId: 7, orderIds: [100], at: 30, worker: EU, node: 'eu-west' });
    h.orderHistory({ customerId: 8, orderIds: [200], at: 20, worker: US, node: 'us-east' });
    return h;
  }

  it('counts a violation in the region of the worker that read; regions add up to the totals', async () => {
    const result = await evaluateReadYourWrites(history().build(), regionOfWorker);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({
      readsChecked: 3,
      violations: 1,
      'readsChecked@us-east': 1,
      'readsChecked@eu-west': 2,
      'violations@us-east': 0,
      'violations@eu-west': 1,
    });
    expect(regionKeys(result.counts)).toEqual(['readsChecked@us-east', 'readsChecked@eu-west', 'violations@us-east', 'violations@eu-west']);
  });

  it('adds nothing without regions', async () => {
    const result = await evaluateReadYourWrites(history().build());
    expect(regionKeys(result.counts)).toEqual([]);
  });

  it('as a Checker: takes the regions from the check context', async () => {
    const historyPath = await writeHistoryFile(history().jsonl());
    const result = await readYourWritesChecker.check({ historyPath, finalState: fakeNode(() => []), regionOfWorker });
    expect(result.counts).toMatchObject({ 'violations@us-east': 0, 'violations@eu-west': 1 });
  });
});

describe('monotonic-reads by client region', () => {
  it('counts a read that went back in time in the region of the worker that made it', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ customerId: 3, orderIds: [2, 1], at: 10, worker: US, node: 'us-east' });
    h.orderHistory({ customerId: 3, orderIds: [1], at: 20, worker: US, node: 'eu-west' });
    h.orderHistory({ customerId: 4, orderIds: [5], at: 10, worker: EU, node: 'eu-west' });
    h.orderHistory({ customerId: 4, orderIds: [5], at: 20, worker: EU + 1, node: 'eu-west' });
    h.orderHistory({ customerId: 4, orderIds: [6, 5], at: 30, worker: EU, node: 'eu-west' });
    const result = await evaluateMonotonicReads(h.build(), regionOfWorker);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({
      readsChecked: 3,
      violations: 1,
      'readsChecked@us-east': 1,
      'readsChecked@eu-west': 2,
      'violations@us-east': 1,
      'violations@eu-west': 0,
    });
    const plain = await evaluateMonotonicReads(h.build());
    expect(regionKeys(plain.counts)).toEqual([]);
  });
});
