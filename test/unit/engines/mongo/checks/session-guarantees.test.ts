import { describe, expect, it } from 'vitest';
import { evaluateSessionGuarantees } from '../../../../../src/engines/mongo/checks/session-guarantees-checker.ts';
import { HistoryBuilder } from '../../../checker/history-builders.ts';

describe('session guarantees (each worker one MongoDB session)', () => {
  it('fails when a worker does not see its own acknowledged order on a later read', async () => {
    const h = new HistoryBuilder();
    h.checkout({ at: 0, orderId: 100, customerId: 5, worker: 1 });
    h.orderHistory({ at: 10, customerId: 5, orderIds: [], worker: 1, node: 'mongo2' });
    const result = await evaluateSessionGuarantees(h.build(), { causal: false });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ 'read-your-writes': 1, 'monotonic-reads': 0, readsChecked: 1 });
    expect(result.examples[0]).toMatchObject({ kind: 'read-your-writes', worker: 1, customerId: 5, missingOrderIds: [100], readNode: 'mongo2' });
    expect(result.explanation).toMatch(/Without causal consistency MongoDB does not promise/);
  });

  it('fails when an order a worker saw disappears from its next read, and says a causal session promised it', async () => {
    const h = new HistoryBuilder();
    h.orderHistory({ at: 0, customerId: 5, orderIds: [100, 90], worker: 2 });
    h.orderHistory({ at: 10, customerId: 5, orderIds: [90], worker: 2 });
    const result = await evaluateSessionGuarantees(h.build(), { causal: true });
    expect(result.verdict).toBe('invalid');
    expect(result.counts['monotonic-reads']).toBe(1);
    expect(result.explanation).toMatch(/causally consistent session promises both/);
  });

  it('passes when every worker sees its writes and keeps what it saw; other workers’ sessions are not judged', async () => {
    const h = new HistoryBuilder();
    h.checkout({ at: 0, orderId: 100, customerId: 5, worker: 1 });
    h.orderHistory({ at: 10, customerId: 5, orderIds: [100], worker: 1 });
    h.orderHistory({ at: 20, customerId: 5, orderIds: [100], worker: 1 });
    // Worker 3 is another session: not seeing worker 1's order yet breaks no session guarantee.
    h.orderHistory({ at: 15, customerId: 5, orderIds: [], worker: 3 });
    const result = await evaluateSessionGuarantees(h.build(), { causal: true });
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ readsChecked: 2, sessions: 2 });
  });

  it('does not judge a read that started before the write was acknowledged, or a full page', async () => {
    const h = new HistoryBuilder();
    h.checkout({ at: 0, took: 20, orderId: 100, customerId: 5, worker: 1 });
    h.orderHistory({ at: 5, customerId: 5, orderIds: [], worker: 1 });
    const full = Array.from({ length: 20 }, (_, i) => 200 + i);
    h.orderHistory({ at: 30, customerId: 5, orderIds: full, worker: 1 });
    const result = await evaluateSessionGuarantees(h.build(), { causal: false });
    expect(result.counts).toMatchObject({ 'read-your-writes': 0, unjudgeable: 1 });
  });

  it('is unknown when no worker ever read back what it touched', async () => {
    const h = new HistoryBuilder();
    h.checkout({ at: 0, orderId: 100, customerId: 5, worker: 1 });
    h.orderHistory({ at: 10, customerId: 6, orderIds: [], worker: 1 });
    expect((await evaluateSessionGuarantees(h.build(), { causal: true })).verdict).toBe('unknown');
  });
});
