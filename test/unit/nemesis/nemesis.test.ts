import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RunClock } from '../../../src/harness/history/run-clock.ts';
import type { FaultSurface } from '../../../src/harness/fault/fault-surface.ts';
import { Nemesis } from '../../../src/harness/nemesis/nemesis.ts';
import { expandTimeline } from '../../../src/harness/fault/timeline.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { Fault } from '../../../src/harness/fault/fault-catalog.ts';
import type { DbNode } from '../../../src/topologies/topology.ts';

// A fake topology records what the nemesis asks of it; the real one is exercised by the
// known-answer scenarios against real servers.
function fakeSurface(calls: string[]): FaultSurface {
  const node = (name: string) =>
    ({
      kill: async () => void calls.push(`kill ${name}`),
      stop: async () => void calls.push(`stop ${name}`),
      pause: async () => void calls.push(`pause ${name}`),
      state: 'running',
      resume: async () => void calls.push(`resume ${name}`),
    }) as unknown as DbNode;
  return {
    nodesNow: () => [
      { name: 'primary', role: 'primary' },
      { name: 'replica1', role: 'replica' },
    ],
    node,
    recover: async (name) => void calls.push(`recover ${name}`),
    failover: async () => void calls.push('failover'),
    links: () => [{ name: 'replica1->primary', from: 'replica1', to: 'primary' }],
    linkControl: { setLinkState: async (link, state) => void calls.push(`${link} ${state.downstream.mode}`) },
  };
}

describe('nemesis', () => {
  it('injects and heals on the timeline, recording each start and end with its targets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nemesis-'));
    try {
      const history = new HistoryWriter(join(dir, 'history.jsonl'));
      const calls: string[] = [];
      const faults = [
        Fault.parse({ kind: 'kill', target: 'primary', at: '20ms', duration: '40ms' }),
        Fault.parse({ kind: 'partition', between: ['primary', 'replica1'], at: '30ms' }),
        Fault.parse({ kind: 'pause', target: 'nosuchnode', at: '10ms' }),
      ];
      const clock = new RunClock();
      const nemesis = new Nemesis(expandTimeline(faults, 1_000), fakeSurface(calls), history, clock, 1, () => {});
      nemesis.start(clock.now());
      await sleep(120);
      expect(nemesis.activeKinds()).toEqual(['partition']);
      await nemesis.healAll();
      await history.close();
      expect(calls).toEqual(['kill primary', 'replica1->primary blackhole', 'recover primary', 'replica1->primary pass']);
      const events = (await readFile(history.path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(events.map((e) => `${e.action} ${e.kind} ${e.targets.join(',')}${e.error ? ' error' : ''}`)).toEqual([
        'start pause  error',
        'start kill primary',
        'start partition replica1->primary',
        'end kill primary',
        'end partition replica1->primary',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ends an instant fault (a failover step) as soon as it has happened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nemesis-'));
    try {
      const history = new HistoryWriter(join(dir, 'history.jsonl'));
      const calls: string[] = [];
      const clock = new RunClock();
      const nemesis = new Nemesis(expandTimeline([Fault.parse({ kind: 'failover', at: '10ms' })], 1_000), fakeSurface(calls), history, clock, 1, () => {});
      nemesis.start(clock.now());
      await sleep(60);
      expect(calls).toEqual(['failover']);
      expect(nemesis.activeKinds()).toEqual([]);
      await nemesis.healAll();
      await history.close();
      const events = (await readFile(history.path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(events.map((e) => `${e.action} ${e.kind}`)).toEqual(['start failover', 'end failover']);
      expect(nemesis.timeline()).toMatchObject([{ id: 1, kind: 'failover', targets: ['primary'] }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
