import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunClock } from '../../../src/harness/history/run-clock.ts';
import type { FaultSurface } from '../../../src/harness/fault/fault-surface.ts';
import { Nemesis } from '../../../src/harness/nemesis/nemesis.ts';
import { expandTimeline } from '../../../src/harness/fault/timeline.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { Fault } from '../../../src/harness/fault/fault-catalog.ts';
import type { DbNode } from '../../../src/topologies/topology.ts';

// What the run's extension asks of the nemesis: is every fault over (settled), heal the faults
// without a duration at the nominal end, tell when a fault ended; and a node left down stays down.

function surface(calls: string[], states: Record<string, string>): FaultSurface {
  const node = (name: string) =>
    ({
      kill: async () => void (calls.push(`kill ${name}`), (states[name] = 'killed')),
      stop: async () => void (calls.push(`stop ${name}`), (states[name] = 'stopped')),
      pause: async () => void calls.push(`pause ${name}`),
      get state() {
        return states[name] ?? 'running';
      },
    }) as unknown as DbNode;
  return {
    nodesNow: () => [
      { name: 'primary', role: 'primary' },
      { name: 'replica1', role: 'replica' },
    ],
    node,
    recover: async (name) => void (calls.push(`recover ${name}`), (states[name] = 'running')),
    failover: async () => void calls.push('failover'),
    links: () => [],
    linkControl: { setLinkState: async () => {} },
  };
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nemesis-ext-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nemesis and the run extension', () => {
  it('is settled only once every scheduled heal has run, and reports each end', async () => {
    const calls: string[] = [];
    const clock = new RunClock();
    const ends: number[] = [];
    const nemesis = new Nemesis(expandTimeline([Fault.parse({ kind: 'kill', target: 'replica1', at: '10ms', duration: '60ms' })], 1_000), surface(calls, {}), new HistoryWriter(join(dir, 'h.jsonl')), clock, 1, () => {});
    nemesis.onFaultEnd = (time) => ends.push(time);
    nemesis.start(clock.now());
    expect(nemesis.settled()).toBe(false);
    await sleep(40);
    expect(nemesis.settled()).toBe(false);
    await sleep(150);
    expect(nemesis.settled()).toBe(true);
    expect(ends).toHaveLength(1);
    await nemesis.healAll();
  });

  it('endOpenFaults heals a fault without duration while the load goes on', async () => {
    const calls: string[] = [];
    const clock = new RunClock();
    const nemesis = new Nemesis(expandTimeline([Fault.parse({ kind: 'stop', target: 'replica1', at: '0ms' })], 1_000), surface(calls, {}), new HistoryWriter(join(dir, 'h.jsonl')), clock, 1, () => {});
    nemesis.start(clock.now());
    await sleep(30);
    expect(nemesis.settled()).toBe(false);
    nemesis.endOpenFaults();
    await sleep(30);
    expect(nemesis.settled()).toBe(true);
    expect(calls).toEqual(['stop replica1', 'recover replica1']);
    await nemesis.healAll();
  });

  it('a node left down (leaveDown) is never healed nor recovered, and does not hold the run open', async () => {
    const calls: string[] = [];
    const clock = new RunClock();
    const states: Record<string, string> = {};
    const nemesis = new Nemesis(expandTimeline([Fault.parse({ kind: 'stop', target: 'replica1', at: '0ms', leaveDown: true })], 1_000), surface(calls, states), new HistoryWriter(join(dir, 'h.jsonl')), clock, 1, () => {});
    nemesis.start(clock.now());
    await sleep(30);
    nemesis.endOpenFaults();
    await sleep(10);
    expect(nemesis.settled()).toBe(true);
    await nemesis.healAll();
    expect(calls).toEqual(['stop replica1']);
    expect(states.replica1).toBe('stopped');
    expect(nemesis.timeline()[0]).not.toHaveProperty('endMs');
  });

  it('leaveDown refuses a duration', () => {
    expect(Fault.safeParse({ kind: 'kill', target: 'replica1', at: '1s', duration: '2s', leaveDown: true }).success).toBe(false);
  });
});
