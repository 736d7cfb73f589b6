import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { Scenario } from '../../../src/harness/scenario/schema.ts';
import { SCENARIOS } from '../scenario/fixtures.ts';

// The distributed-checkout scenarios as shipped, and the inputs that cannot work refused with the
// field they are about, before any server starts.

function messages(input: Record<string, unknown>): string[] {
  const result = Scenario.safeParse({ name: 'p', description: 'd', checks: ['atomicity'], ...input });
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const partitioned = (extra: Record<string, unknown> = {}) => ({ kind: 'pg-partitioned', tables: { orders: { strategy: 'hash', key: 'id' } }, ...extra });

describe('distributed checkout scenarios', () => {
  it.each([
    ['checkout-plain', 'plain'],
    ['checkout-2pc', '2pc'],
  ])('%s: a short run, kills rotating over the shards at the commit point, checked for atomicity', async (name, mode) => {
    const { scenario } = await loadScenario(`${SCENARIOS}partitioning/${name}.yaml`);
    expect(scenario.topology).toMatchObject({ kind: 'pg-partitioned', shards: 3, distributedCommit: mode });
    expect(scenario.workload.duration).toBeLessThanOrEqual(10_000);
    expect(scenario.faults.map((f) => (f.kind === 'kill' ? [f.target, f.during] : f.kind))).toEqual([
      ['shard1', 'commit'],
      ['shard2', 'commit'],
      ['shard3', 'commit'],
    ]);
    expect(scenario.checks).toContain('atomicity');
  });

  it('defaults to plain, the coordinator committing through postgres_fdw', () => {
    const result = Scenario.parse({ name: 'p', description: 'd', topology: partitioned(), checks: ['atomicity'] });
    expect(result.topology).toMatchObject({ distributedCommit: 'plain' });
  });

  it('names the field of every bad value', () => {
    expect(messages({ topology: partitioned({ distributedCommit: '3pc' }) })).toEqual([expect.stringMatching(/^topology\.distributedCommit: /)]);
    expect(messages({ topology: partitioned({ distributedCommit: '2pc', settings: { max_prepared_transactions: 0 } }) })).toEqual([
      expect.stringMatching(/^topology\.settings\.max_prepared_transactions: distributedCommit: 2pc prepares transactions on every node/),
    ]);
    expect(messages({ topology: partitioned(), faults: [{ kind: 'kill', target: 'shard1', during: 'rollback', at: '1s' }] })).toEqual([
      expect.stringMatching(/^faults\.0\.during: /),
    ]);
    expect(messages({ topology: partitioned(), faults: [{ kind: 'pause', target: 'shard1', during: 'commit', at: '1s' }] }).join()).toMatch(/during/);
  });

  it('refuses a kill during commit on a topology without distributed checkouts', () => {
    expect(messages({ topology: { kind: 'pg-single-leader' }, faults: [{ kind: 'kill', target: 'primary', during: 'commit', at: '1s' }] })).toEqual([
      "faults.0.during: during: commit aims at a distributed checkout's commit point; pg-single-leader has none (use pg-partitioned)",
    ]);
  });
});
