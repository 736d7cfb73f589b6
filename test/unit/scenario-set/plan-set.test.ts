import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/harness/output/exit-codes.ts';
import { loadScenario, type LoadedScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { planSet } from '../../../src/harness/scenario-set/plan-set.ts';

// `faultline run A.yaml B.yaml`: what runs, under which folder names, and what is refused.

const load = (file: string, set: readonly string[] = []): Promise<LoadedScenario> => loadScenario(`scenarios/${file}`, set);

describe('planSet', () => {
  it('names the set after the first scenario and keeps the files in order', async () => {
    const plan = planSet([await load('partitioning/range-price.yaml'), await load('partitioning/hash-price.yaml')]);
    expect(plan.name).toBe('range-price-set');
    expect(plan.members.map((m) => [m.label, m.slug])).toEqual([
      ['range-price', 'range-price'],
      ['hash-price', 'hash-price'],
    ]);
    expect(plan.members[1]!.scenario.topology).toMatchObject({ kind: 'pg-partitioned', shards: 3 });
  });

  it('gives the same scenario twice distinct labels and folders', async () => {
    const a = await load('partitioning/hash-price.yaml');
    const plan = planSet([a, await load('partitioning/hash-price.yaml', ['seed=2']), a]);
    expect(plan.members.map((m) => m.label)).toEqual(['hash-price', 'hash-price~2', 'hash-price~3']);
    expect(new Set(plan.members.map((m) => m.slug)).size).toBe(3);
    expect(plan.members[1]!.scenario.seed).toBe(2);
  });

  it('refuses a scenario with a matrix, naming the file', async () => {
    const files = [await load('quickstart.yaml'), await load('matrix-replication.yaml')];
    expect(() => planSet(files, process.cwd())).toThrow(UsageError);
    expect(() => planSet(files, process.cwd())).toThrow(/^scenarios\/matrix-replication\.yaml: a scenario with a matrix/);
  });

  it('needs two files at least', async () => {
    const one = await load('quickstart.yaml');
    expect(() => planSet([one])).toThrow(/at least two scenario files/);
  });
});
