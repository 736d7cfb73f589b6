import { describe, expect, it } from 'vitest';
import { completeness, evaluateAtomicity, type OrderParts } from '../../../src/harness/checker/atomicity-checker.ts';
import { HistoryBuilder } from './history-builders.ts';

// Crafted histories and final states: half-applied checkouts make the check FAIL, whatever their
// outcome; complete and absent ones make it PASS.

function checkout(h: HistoryBuilder, orderId: number, items: number, outcome: 'ok' | 'fail' | 'info' | 'none', at = orderId) {
  const args = {
    orderId,
    customerId: 7,
    warehouseId: 1,
    items: Array.from({ length: items }, (_, i) => ({ productId: i + 1, quantity: 1 })),
    paymentMethod: 'card',
    carrier: 'UPS',
  };
  return h.op('checkout', { at, outcome, args, ...(outcome === 'ok' ? { value: { orderId, customerId: 7, total: 10 } } : {}) });
}

const whole = (items: number): OrderParts => ({ orders: 1, items, payments: 1, shipments: 1 });
const lookup = (state: Record<number, OrderParts>) => async (ids: readonly number[]) =>
  new Map(ids.filter((id) => state[id]).map((id) => [id, state[id]!] as const));

describe('atomicity', () => {
  it('flags an order with only some of its items, items without their order, and an order without its payment', async () => {
    const h = new HistoryBuilder();
    checkout(h, 101, 3, 'info');
    checkout(h, 102, 2, 'fail');
    checkout(h, 103, 1, 'ok');
    checkout(h, 104, 2, 'ok');
    const result = await evaluateAtomicity(
      h.build(),
      lookup({
        101: { orders: 1, items: 1, payments: 0, shipments: 0 },
        102: { orders: 0, items: 2, payments: 0, shipments: 0 },
        103: { orders: 1, items: 1, payments: 0, shipments: 1 },
        104: whole(2),
      }),
    );
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ checkouts: 4, complete: 1, absent: 0, violations: 3, 'violations-ok': 1, 'violations-info': 1, 'violations-fail': 1 });
    expect(result.examples[0]).toEqual({ orderId: 101, opId: 1, outcome: 'info', error: 'connection', plannedItems: 3, found: { orders: 1, items: 1, payments: 0, shipments: 0 } });
    expect(result.explanation).toMatch(/3 checkouts \(1 ok, 1 info, 1 fail\) left only part of their rows/);
  });

  it('passes when every checkout is complete or absent, whatever its outcome', async () => {
    const h = new HistoryBuilder();
    checkout(h, 1, 3, 'ok');
    checkout(h, 2, 2, 'info');
    checkout(h, 3, 1, 'fail');
    checkout(h, 4, 2, 'none');
    const result = await evaluateAtomicity(h.build(), lookup({ 1: whole(3), 2: whole(2) }));
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ checkouts: 4, complete: 2, absent: 2, violations: 0 });
    expect(result.explanation).toMatch(/All 4 checkouts were all-or-nothing/);
  });

  it('judges a checkout that never completed too', async () => {
    const h = new HistoryBuilder();
    checkout(h, 9, 2, 'none');
    const result = await evaluateAtomicity(h.build(), lookup({ 9: { orders: 1, items: 2, payments: 1, shipments: 0 } }));
    expect(result.verdict).toBe('invalid');
    expect(result.examples[0]).toMatchObject({ orderId: 9, outcome: 'info', error: 'no-completion' });
  });

  it('is unknown without any checkout', async () => {
    const h = new HistoryBuilder();
    h.write(5);
    expect((await evaluateAtomicity(h.build(), lookup({}))).verdict).toBe('unknown');
  });

  it('counts a duplicated order or extra lines as not atomic either', () => {
    const planned = { opId: 1, orderId: 1, items: 2, outcome: 'ok' as const };
    expect(completeness(planned, whole(2))).toBe('complete');
    expect(completeness(planned, { orders: 0, items: 0, payments: 0, shipments: 0 })).toBe('absent');
    expect(completeness(planned, { orders: 2, items: 2, payments: 1, shipments: 1 })).toBe('partial');
    expect(completeness(planned, whole(3))).toBe('partial');
  });

  it('asks the final state in batches of order ids', async () => {
    const h = new HistoryBuilder();
    for (let id = 1; id <= 3; id++) checkout(h, id, 1, 'ok');
    const asked: number[][] = [];
    await evaluateAtomicity(h.build(), async (ids) => {
      asked.push([...ids]);
      return new Map(ids.map((id) => [id, whole(1)] as const));
    });
    expect(asked).toEqual([[1, 2, 3]]);
  });
});
