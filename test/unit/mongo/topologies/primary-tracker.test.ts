import { describe, expect, it } from 'vitest';
import type { FailoverEvent, RolesEvent } from '../../../../src/harness/history/history-types.ts';
import { PrimaryTracker } from '../../../../src/topologies/mongo/replica-set/primary-tracker.ts';

function track(samples: [number, string[]][]): (RolesEvent | FailoverEvent)[] {
  const events: (RolesEvent | FailoverEvent)[] = [];
  const tracker = new PrimaryTracker((event) => events.push(event));
  for (const [time, writable] of samples) tracker.accept(time, writable);
  return events;
}

describe('primary tracker (who MongoDB elected, as the history records it)', () => {
  it('records an election after the primary died: detected when it vanished, promoted when the new one answered', () => {
    const events = track([[0, ['mongo1']], [100, ['mongo1']], [200, []], [2_300, []], [2_400, ['mongo2']]]);
    expect(events).toEqual([
      { type: 'roles', time: 0, writable: ['mongo1'] },
      { type: 'roles', time: 200, writable: [] },
      { type: 'roles', time: 2_400, writable: ['mongo2'] },
      { type: 'failover', from: 'mongo1', to: 'mongo2', time: 2_400, detectedAt: 200 },
    ]);
  });

  it('sees two primaries at once when the old one is isolated, and names the new one at once', () => {
    const events = track([[0, ['mongo1']], [100, ['mongo1', 'mongo3']], [200, ['mongo1', 'mongo3']], [300, ['mongo3']]]);
    expect(events.filter((e) => e.type === 'failover')).toEqual([{ type: 'failover', from: 'mongo1', to: 'mongo3', time: 100, detectedAt: 100 }]);
    expect(events.filter((e) => e.type === 'roles').map((e) => (e as RolesEvent).writable)).toEqual([['mongo1'], ['mongo1', 'mongo3'], ['mongo3']]);
  });

  it('records no failover when the same primary comes back, and one when it wins again later', () => {
    expect(track([[0, ['mongo1']], [100, []], [200, ['mongo1']]]).some((e) => e.type === 'failover')).toBe(false);
    const back = track([[0, ['mongo1']], [100, []], [200, ['mongo2']], [300, ['mongo1']]]).filter((e) => e.type === 'failover');
    expect(back.map((e) => `${(e as FailoverEvent).from}->${(e as FailoverEvent).to}`)).toEqual(['mongo1->mongo2', 'mongo2->mongo1']);
  });
});
