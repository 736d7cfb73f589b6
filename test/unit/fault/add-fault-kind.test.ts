import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { WriteOutageTracker } from '../../../src/harness/checker/write-outage-tracker.ts';
import { RunClock } from '../../../src/harness/history/run-clock.ts';
import { containerFaultProblem, FAULT_KIND_NAMES, isNetworkFault } from '../../../src/harness/fault/fault-catalog.ts';
import type { FaultSurface } from '../../../src/harness/fault/fault-surface.ts';
import { expandTimeline } from '../../../src/harness/fault/timeline.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { Nemesis } from '../../../src/harness/nemesis/nemesis.ts';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { ScenarioError } from '../../../src/harness/scenario/scenario-error.ts';
import { noopCalls } from '../../fixtures/faults/noop-fault.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

// ARCHITECTURE.md, "How to add a fault kind": one file in src/harness/fault/kinds/ and one line in
// fault-registry.ts. Here the file is test/fixtures/faults/noop-fault.ts and the line is this
// mock (the registry's list plus the new kind); nothing else changes, and the scenario schema,
// the target checks, the container rule, the nemesis and the write-outage figures all take it.

vi.mock('../../../src/harness/fault/fault-registry.ts', async (importOriginal) => {
  const registry = await importOriginal<typeof import('../../../src/harness/fault/fault-registry.ts')>();
  const { noop } = await import('../../fixtures/faults/noop-fault.ts');
  return { ...registry, FAULT_KINDS: [...registry.FAULT_KINDS, noop] };
});

const scenario = (faults: string, provider = 'local') =>
  `name: noop-demo\ndescription: a fault kind added in one file\nprovider: { kind: ${provider} }\n` +
  `topology: { kind: pg-single-leader, replicas: 1 }\nworkload: { duration: 2s }\nfaults:\n${faults}`;

const problemsOf = (yaml: string): string => {
  try {
    parseScenario(yaml, 'noop.yaml');
    return '';
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
  }
};

function stubSurface(): FaultSurface {
  const node = () => ({ state: 'running' as const, kill: async () => {}, stop: async () => {}, pause: async () => {} });
  return {
    nodesNow: () => [
      { name: 'primary', role: 'primary' },
      { name: 'replica1', role: 'replica' },
    ],
    node,
    recover: async () => {},
    failover: async () => {},
    links: () => [],
    linkControl: { setLinkState: async () => {} },
  };
}

describe('a fault kind added in one file and one registry line', () => {
  it('is a kind of the scenario schema, with its own fields and the target checks', () => {
    expect(FAULT_KIND_NAMES).toContain('noop');
    const parsed = parseScenario(scenario('  - { kind: noop, target: primary, at: 500ms, duration: 1s }\n'), 'noop.yaml');
    expect(parsed.faults).toEqual([{ kind: 'noop', target: 'primary', at: 500, duration: 1000 }]);
    expect(problemsOf(scenario('  - { kind: noop, target: replica7, at: 500ms }\n'))).toMatch(/faults\[0\]\.target: "replica7" is not a node of this topology/);
    expect(problemsOf(scenario('  - { kind: noop, target: primary, at: 500ms, delay: 5ms }\n'))).toMatch(/faults\[0\]/);
    expect(isNetworkFault('noop')).toBe(false);
  });

  it('says where a provider cannot apply it, from its own declaration', () => {
    expect(containerFaultProblem({ kind: 'noop' }, 'postgres')).toBeUndefined();
    expect(containerFaultProblem({ kind: 'noop' }, 'mongo')?.message).toMatch(/the containers provider cannot apply noop/);
  });

  it('is injected and healed by the nemesis against a topology, and recorded in the history', async () => {
    const dir = await scratchDir('noop-fault-');
    const history = new HistoryWriter(join(dir, 'history.jsonl'));
    const parsed = parseScenario(scenario('  - { kind: noop, target: primary, at: 10ms, duration: 30ms }\n'), 'noop.yaml');
    const clock = new RunClock();
    const nemesis = new Nemesis(expandTimeline(parsed.faults, 1_000), stubSurface(), history, clock, 1, () => {});
    nemesis.start(clock.now());
    await sleep(100);
    await nemesis.healAll();
    await history.close();
    expect(noopCalls).toEqual(['inject primary', 'heal primary']);
    const events = (await readFile(history.path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(events.map((e) => `${e.action} ${e.kind} ${e.targets.join(',')}`)).toEqual(['start noop primary', 'end noop primary']);
    // The write-outage figures take its primary impact from the kind.
    const tracker = new WriteOutageTracker();
    for (const event of events) tracker.accept(event);
    expect(tracker.faults.get(1)).toMatchObject({ kind: 'noop', hitsPrimary: true });
  });
});
