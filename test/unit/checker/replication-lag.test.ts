import { describe, expect, it } from 'vitest';
import { createReplicationLagChecker, evaluateReplicationLag, replicationLagChecker } from '../../../src/harness/checker/replication-lag-checker.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';
import { ReplicationLagBounds } from '../../../src/harness/scenario/availability-lag-bounds-schema.ts';
import { CheckBounds } from '../../../src/harness/scenario/check-bounds-schema.ts';

/** No sample-rate floor: these crafted histories carry few samples on purpose. */
const bound = (maxStaleness: number, statistic: 'max' | 'p99' = 'max') => ({ maxStaleness, statistic, minSampleRate: 0 });

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
    const result = await evaluateReplicationLag(steadyLag().build(), bound(100));
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ boundMs: 100, samplesOverBound: 0, episodesOverBound: 0 });
    expect(result.bound).toEqual({ maxStalenessMs: 100, statistic: 'max', minSamplesPerSecond: 0 });
    expect(result.coverage).toMatchObject({ replicasSampled: 2, samples: 110 });
  });

  it('with a bound that is exceeded: invalid, the worst stretches first', async () => {
    const h = new HistoryBuilder()
      .lag('replica1', 100, 10)
      .lag('replica1', 200, 300)
      .lag('replica1', 300, 450)
      .lag('replica1', 400, 20)
      .lag('replica2', 250, 900)
      .lag('replica1', 500, 260);
    const result = await evaluateReplicationLag(h.build(), bound(250));
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ samplesOverBound: 4, episodesOverBound: 3 });
    expect(result.examples).toEqual([
      { node: 'replica2', from: 250, to: 250, samples: 1, maxStalenessMs: 900 },
      { node: 'replica1', from: 200, to: 300, samples: 2, maxStalenessMs: 450 },
      { node: 'replica1', from: 500, to: 500, samples: 1, maxStalenessMs: 260 },
    ]);
    expect(result.explanation).toMatch(/4 samples in 3 stretches exceeded 250 ms/);
    expect(result.explanation).toMatch(/replica1 was 450 ms behind at max, replica2 was 900 ms behind at max, over the bound/);
  });

  it('is unknown without samples', async () => {
    const h = new HistoryBuilder().writes(0, 100, 10);
    const result = await evaluateReplicationLag(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.counts).toMatchObject({ nodes: 0, samples: 0 });
  });

  it('as a Checker, with and without a bound', async () => {
    const historyPath = await writeHistoryFile(steadyLag().jsonl());
    const finalState = fakeNode(() => []);
    expect((await replicationLagChecker.check({ historyPath, finalState })).verdict).toBe('valid');
    expect((await createReplicationLagChecker(bound(30)).check({ historyPath, finalState })).verdict).toBe('invalid');
    const bounds = CheckBounds.parse({ 'replication-lag': { maxStaleness: '50ms' } });
    const fromScenario = await replicationLagChecker.check({ historyPath, finalState, bounds });
    expect(fromScenario.verdict).toBe('invalid');
    expect(fromScenario.bound).toEqual({ maxStalenessMs: 50, statistic: 'max', minSamplesPerSecond: 0.5 });
  });

  /** replica1 in step with the primary except 8 s behind for 10 s (samples every 100 ms over 60 s). */
  function behindForTenSeconds(): HistoryBuilder {
    const h = new HistoryBuilder();
    for (let t = 0; t < 60_000; t += 100) h.lag('replica1', t, t >= 20_000 && t < 30_000 ? 8000 : 5);
    for (let t = 50; t < 60_000; t += 100) h.lag('replica2', t, 5);
    return h;
  }

  it('a replica 8 s behind for 10 s is invalid under the default bound (5 s), naming the bound and the replica', async () => {
    const result = await evaluateReplicationLag(behindForTenSeconds().build());
    expect(result.verdict).toBe('invalid');
    expect(result.bound).toEqual({ maxStalenessMs: 5000, statistic: 'max', minSamplesPerSecond: 0.5 });
    expect(result.explanation).toMatch(/replica1 was 8\.00 s behind at max, over the bound: maximum staleness per replica within 5\.00 s/);
    expect(result.explanation).not.toMatch(/replica2 was/);
    expect(result.examples[0]).toMatchObject({ node: 'replica1', from: 20_000, to: 29_900, samples: 100, maxStalenessMs: 8000 });
  });

  it('judged at p99, 10 s of 60 s behind is still invalid; a single 8 s sample is not', async () => {
    const p99 = ReplicationLagBounds.parse({ statistic: 'p99' });
    expect((await evaluateReplicationLag(behindForTenSeconds().build(), p99)).verdict).toBe('invalid');
    const h = new HistoryBuilder();
    for (let t = 0; t < 60_000; t += 100) h.lag('replica1', t, t === 20_000 ? 8000 : 5);
    expect((await evaluateReplicationLag(h.build(), p99)).verdict).toBe('valid');
    expect((await evaluateReplicationLag(h.build())).verdict).toBe('invalid');
  });

  it('the same replica always within 1 s: valid under the default bound', async () => {
    const h = new HistoryBuilder();
    for (let t = 0; t < 60_000; t += 100) h.lag('replica1', t, (t / 100) % 1000);
    const result = await evaluateReplicationLag(h.build());
    expect(result.verdict).toBe('valid');
    expect(result.explanation).toMatch(/maximum staleness per replica within 5\.00 s/);
  });

  it('too few samples to judge: unknown naming the replica, never valid (a proven excess stays invalid)', async () => {
    const h = new HistoryBuilder().phase('warmup', 0);
    for (let t = 0; t < 20_000; t += 100) h.lag('replica1', t, 5);
    h.lag('replica2', 10_000, 5);
    h.phase('quiesce', 20_000);
    const result = await evaluateReplicationLag(h.build());
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/too few staleness samples to judge replica2 \(0\.05\/s\)/);
    expect(result.coverage).toMatchObject({ minSamplesPerSecond: 0.05 });
    h.lag('replica1', 20_000, 9000);
    expect((await evaluateReplicationLag(h.build())).verdict).toBe('invalid');
  });
});
