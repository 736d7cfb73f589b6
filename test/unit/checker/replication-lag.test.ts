import { describe, expect, it } from 'vitest';
import { createReplicationLagChecker, evaluateReplicationLag, replicationLagChecker } from '../../../src/harness/checker/replication-lag-checker.ts';
import { fakeClient, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

/** replica1: staleness 1..100 ms, replay lag 5 ms less; replica2: a steady 20 ms without replay lag. */
function steadyLag(): HistoryBuilder {
  const h = new HistoryBuilder();
  for (let i = 1; i <= 100; i++) h.lag('replica1', i * 100, i, i - 5);
  for (let i = 1; i <= 10; i++) h.lag('replica2', i * 100 + 50, 20);
  return h;
}

describe('replication-lag', () => {
  it('summarises each replica: p50, p99, max, and how far the two measures agree', async () => {
    const result = await evaluateReplicationLag(steadyLag().build());
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({
      nodes: 2,
      samples: 110,
      'replica1.samples': 100,
      'replica1.stalenessMs.p50': 50,
      'replica1.stalenessMs.p99': 99,
      'replica1.stalenessMs.max': 100,
      'replica1.replayLagMs.p50': 45,
      'replica1.differenceMs.p50': 5,
      'replica1.differenceMs.max': 5,
      'replica2.stalenessMs.max': 20,
      maxStalenessMs: 100,
    });
    expect(result.counts['replica2.replayLagMs.p50']).toBeUndefined();
    expect(result.examples[0]).toMatchObject({ node: 'replica1', samples: 100, stalenessMs: { p50: 50, p99: 99, max: 100 } });
    expect(result.explanation).toMatch(/replica1: reads were typically 50 ms behind/);
    expect(result.explanation).toMatch(/differed from staleness by 5 ms typically/);
  });

  it('with a bound that holds: valid', async () => {
    const result = await evaluateReplicationLag(steadyLag().build(), { maxStalenessMs: 100 });
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ boundMs: 100, samplesOverBound: 0, episodesOverBound: 0 });
  });

  it('with a bound that is exceeded: invalid, the worst stretches first', async () => {
    const h = new HistoryBuilder()
      .lag('replica1', 100, 10)
      .lag('replica1', 200, 300)
      .lag('replica1', 300, 450)
      .lag('replica1', 400, 20)
      .lag('replica2', 250, 900)
      .lag('replica1', 500, 260);
    const result = await evaluateReplicationLag(h.build(), { maxStalenessMs: 250 });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ samplesOverBound: 4, episodesOverBound: 3 });
    expect(result.examples).toEqual([
      { node: 'replica2', from: 250, to: 250, samples: 1, maxStalenessMs: 900 },
      { node: 'replica1', from: 200, to: 300, samples: 2, maxStalenessMs: 450 },
      { node: 'replica1', from: 500, to: 500, samples: 1, maxStalenessMs: 260 },
    ]);
    expect(result.explanation).toMatch(/4 samples in 3 stretches exceeded the 250 ms staleness bound/);
  });

  it('is unknown without samples', async () => {
    const h = new HistoryBuilder().writes(0, 100, 10);
    const result = await evaluateReplicationLag(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.counts).toMatchObject({ nodes: 0, samples: 0 });
  });

  it('as a Checker, with and without a bound', async () => {
    const historyPath = await writeHistoryFile(steadyLag().jsonl());
    const finalState = fakeClient(() => []);
    expect((await replicationLagChecker.check({ historyPath, finalState })).verdict).toBe('valid');
    expect((await createReplicationLagChecker({ maxStalenessMs: 30 }).check({ historyPath, finalState })).verdict).toBe('invalid');
  });
});
