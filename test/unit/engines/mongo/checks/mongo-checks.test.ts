import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { runMongoChecks } from '../../../../../src/engines/mongo/checks/mongo-checks.ts';
import { StalenessTracker } from '../../../../../src/engines/mongo/lag/staleness-tracker.ts';
import { HistoryBuilder, writeHistoryFile } from '../../../checker/history-builders.ts';

/** Only what presentOrderIds asks of a database: orders.find({_id: {$in}}).toArray(). */
function ordersDb(present: readonly number[]): Db {
  return {
    collection: () => ({
      find: (filter: { _id: { $in: number[] } }) => ({ toArray: async () => filter._id.$in.filter((id) => present.includes(id)).map((_id) => ({ _id })) }),
    }),
  } as unknown as Db;
}

describe('MongoDB checks', () => {
  it('counts a w:1 write rolled back after a failover as a lost acknowledged write', async () => {
    const h = new HistoryBuilder();
    h.checkout({ at: 0, orderId: 1, customerId: 1, node: 'mongo1' });
    h.checkout({ at: 10, orderId: 2, customerId: 1, node: 'mongo1' });
    h.checkout({ at: 20, orderId: 3, customerId: 2, node: 'mongo2' });
    const historyPath = await writeHistoryFile(h.jsonl());
    const checks = await runMongoChecks(['lost-writes', 'session-guarantees', 'no-such-check'], { historyPath, finalState: ordersDb([1, 3]), groups: [], causal: false });
    expect(checks['lost-writes']).toMatchObject({ verdict: 'invalid', counts: { acknowledged: 3, lost: 1 } });
    expect(checks['lost-writes']!.examples[0]).toMatchObject({ orderId: 2, node: 'mongo1' });
    expect(checks['session-guarantees']!.verdict).toBe('unknown');
    expect(checks['no-such-check']).toMatchObject({ verdict: 'unknown', explanation: expect.stringMatching(/no MongoDB implementation/) });
  });

  it('passes lost-writes when every acknowledged order is on the final primary', async () => {
    const h = new HistoryBuilder();
    h.checkout({ at: 0, orderId: 1, customerId: 1 });
    const historyPath = await writeHistoryFile(h.jsonl());
    const checks = await runMongoChecks(['lost-writes'], { historyPath, finalState: ordersDb([1]), groups: [], causal: false });
    expect(checks['lost-writes']!.verdict).toBe('valid');
  });
});

describe('staleness arithmetic of the heartbeat', () => {
  it('measures a secondary read from the acknowledgement of the first write it does not show', () => {
    const tracker = new StalenessTracker();
    for (let t = 0; t < 5; t++) tracker.acknowledged(tracker.next(), t * 50);
    expect(tracker.staleness(5, 400)).toBe(0);
    expect(tracker.staleness(2, 400)).toBe(400 - 100);
    expect(tracker.staleness(0, 400)).toBe(400);
  });

  it('falls back to the oldest write it remembers', () => {
    const tracker = new StalenessTracker(3);
    for (let t = 0; t < 6; t++) tracker.acknowledged(tracker.next(), t * 10);
    expect(tracker.staleness(0, 100)).toBe(100 - 30);
  });
});
