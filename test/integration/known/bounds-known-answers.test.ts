import { describe, expect, it } from 'vitest';
import { scenarioRuns } from '../../support/scenario-runs.ts';

// Known answers for explicit bounds and for nodes the final state cannot read, on real servers
// (scenarios/known/*.yaml explains each). Budgets: provision (~5 s, up to 20 s loaded), 1 s warmup
// + 5 to 8 s of load (+ at most the 60 s extension after heals, not expected here), quiesce
// (at most 30 s; seconds here), checks and teardown.
const RUN_TIMEOUT_MS = 120_000;

const runs = scenarioRuns('faultline-known-bounds');
const run = async (name: string) => (await runs(`scenarios/known/${name}.yaml`)).results;

describe('known answers: replication-lag bound', () => {
  it('an async replica behind a 2 s replication link is invalid, naming the replica and the 1 s bound', async () => {
    const results = await run('lagging-replica');
    const lag = results.checks['replication-lag']!;
    expect(lag.verdict, lag.explanation).toBe('invalid');
    expect(lag.bound).toMatchObject({ maxStalenessMs: 1000, statistic: 'p99' });
    expect(lag.explanation).toMatch(/replica1 was .* behind at p99, over the bound: p99 staleness per replica within 1\.00 s/);
    expect(lag.explanation).not.toMatch(/replica2 was/);
    expect(lag.coverage).toMatchObject({ replicasSampled: 2 });
  }, RUN_TIMEOUT_MS);

  it('the same replicas without the slow link stay within the bound: valid', async () => {
    const results = await run('lagging-replica-control');
    const lag = results.checks['replication-lag']!;
    expect(lag.verdict, lag.explanation).toBe('valid');
    expect(lag.bound).toMatchObject({ maxStalenessMs: 1000, statistic: 'p99' });
    expect(lag.coverage).toMatchObject({ replicasSampled: 2 });
  }, RUN_TIMEOUT_MS);
});

describe('known answers: a node left down at the end', () => {
  it('convergence and lost-writes say unknown and name the replica that could not be read, never valid', async () => {
    const results = await run('replica-left-down');
    for (const name of ['convergence', 'lost-writes']) {
      const check = results.checks[name]!;
      expect(check.verdict, `${name}: ${check.explanation}`).not.toBe('valid');
      expect(check.explanation).toMatch(/replica2 \(not running/);
    }
    expect(results.checks.convergence!.verdict).toBe('unknown');
    expect(results.checks.convergence!.coverage).toMatchObject({ nodesRead: 2, nodes: 3, unreadable: 'replica2' });
    expect(results.checks.availability!.verdict, results.checks.availability!.explanation).toBe('valid');
  }, RUN_TIMEOUT_MS);
});
