import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LeaderHeartbeats } from '../../../src/topologies/postgres/multi-leader/leader-heartbeat.ts';

// Staleness from per-leader heartbeats: a leader showing seq s of another misses s+1 onwards,
// so it is behind by the time since s+1 was acknowledged.

function fakeClient(fail = false): pg.ClientBase {
  return { query: async () => (fail ? Promise.reject(new Error('down')) : { rows: [] }) } as unknown as pg.ClientBase;
}

describe('LeaderHeartbeats', () => {
  it('numbers each leader\'s beats on its own', async () => {
    const beats = new LeaderHeartbeats();
    expect(await beats.beat(fakeClient(), 'us-east', () => 0)).toBe(1);
    expect(await beats.beat(fakeClient(), 'us-east', () => 0)).toBe(2);
    expect(await beats.beat(fakeClient(), 'eu-west', () => 0)).toBe(1);
  });

  it('measures staleness from the first acknowledged beat the reader misses', async () => {
    const beats = new LeaderHeartbeats();
    for (const at of [100, 150, 200]) await beats.beat(fakeClient(), 'us-east', () => at);
    expect(beats.staleness('us-east', 3, 260)).toBe(0);
    expect(beats.staleness('us-east', 2, 260)).toBe(60);
    expect(beats.staleness('us-east', 0, 260)).toBe(160);
    expect(beats.staleness('eu-west', 0, 260)).toBe(0);
  });

  it('skips a beat whose write failed: it was never acknowledged', async () => {
    const beats = new LeaderHeartbeats();
    await beats.beat(fakeClient(), 'us-east', () => 100);
    await expect(beats.beat(fakeClient(true), 'us-east', () => 150)).rejects.toThrow('down');
    await beats.beat(fakeClient(), 'us-east', () => 200);
    expect(beats.staleness('us-east', 1, 230)).toBe(30);
  });
});
