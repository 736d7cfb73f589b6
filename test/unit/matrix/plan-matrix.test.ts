import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/harness/output/exit-codes.ts';
import { planMatrix, type MatrixPlan } from '../../../src/harness/matrix/plan-matrix.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { ScenarioError } from '../../../src/harness/scenario/scenario-error.ts';
import { SCENARIOS } from '../scenario/fixtures.ts';

// A matrix is checked whole before anything runs: its paths, its size, --set against it, and
// every variant as a scenario of its own.

const BASE = `name: mx
description: matrix test
seed: 5
topology: { kind: pg-single-leader, replicas: 2 }
workload:
  operations:
    order-history: { weight: 5, readFrom: primary }
    checkout: { weight: 5 }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-matrix-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
async function plan(matrixYaml: string, set: readonly string[] = []): Promise<MatrixPlan | undefined> {
  const file = join(dir, `s${++files}.yaml`);
  await writeFile(file, `${BASE}${matrixYaml}`);
  return planMatrix(await loadScenario(file, set), set);
}

async function problems(matrixYaml: string, set: readonly string[] = []): Promise<string[]> {
  const error = await plan(matrixYaml, set).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  // Every one of these is the user's to fix: exit 2, before any server starts.
  expect(describeFailure(error, false).code).toBe(2);
  return (error as ScenarioError).format().split('\n');
}

describe('planMatrix', () => {
  it('is undefined for a scenario without a matrix', async () => {
    expect(await plan('')).toBeUndefined();
  });

  it('makes one validated scenario per combination, all with the same seed and without the matrix', async () => {
    const matrix = await plan(`matrix:
  topology.replication: [async, sync, remote_apply]
  workload.operations.order-history.readFrom: [primary, replicas]
`);
    expect(matrix!.variants).toHaveLength(6);
    expect(matrix!.variants.map((v) => ['replication' in v.scenario.topology ? v.scenario.topology.replication : undefined, v.scenario.workload.operations?.['order-history']?.readFrom])).toEqual([
      ['async', 'primary'],
      ['async', 'replicas'],
      ['sync', 'primary'],
      ['sync', 'replicas'],
      ['remote_apply', 'primary'],
      ['remote_apply', 'replicas'],
    ]);
    expect(new Set(matrix!.variants.map((v) => v.scenario.seed))).toEqual(new Set([5]));
    expect(matrix!.variants.map((v) => v.scenario.name)).toEqual(Array(6).fill('mx'));
    expect(matrix!.variants.every((v) => v.scenario.matrix === undefined)).toBe(true);
    expect(matrix!.variants[3]!.label).toBe('replication=sync,order-history.readFrom=replicas');
    // The rest of the file is untouched.
    expect(matrix!.variants[3]!.scenario.workload.operations?.checkout?.weight).toBe(5);
  });

  it('applies values as the file would have them: durations parsed, mappings replacing mappings', async () => {
    const matrix = await plan(`matrix:
  workload.duration: [2s, 1m]
  workload.loop: [{ kind: closed, concurrency: 2 }, { kind: open, rate: 50 }]
`);
    expect(matrix!.variants.map((v) => v.scenario.workload.duration)).toEqual([2_000, 2_000, 60_000, 60_000]);
    expect(matrix!.variants[1]!.scenario.workload.loop).toEqual({ kind: 'open', rate: 50, arrivals: 'poisson', connections: 16, maxQueueDelay: 1_000, grace: 30_000 });
    expect(matrix!.variants[1]!.label).toBe('duration=2s,loop={"kind":"open","rate":50}');
  });

  it('narrows from the command line with --set matrix[...]', async () => {
    const matrix = await plan('matrix:\n  topology.replication: [async, sync, remote_apply]\n', ['matrix["topology.replication"]=[sync]']);
    expect(matrix!.variants.map((v) => v.label)).toEqual(['replication=sync']);
  });

  it('names an unknown path, where it is written, with a suggestion', async () => {
    const lines = await problems('matrix:\n  topolgy.replication: [async, sync]\n  workload.loop.rat: [1]\n');
    expect(lines).toEqual([
      expect.stringMatching(/s\d+\.yaml:10:3: matrix\["topolgy.replication"\]: unknown field "topolgy" in "topolgy.replication" \(did you mean "topology"\?\)$/),
      expect.stringMatching(/:11:3: matrix\["workload.loop.rat"\]: unknown field "rat" in "workload.loop.rat" \(did you mean "rate"\?\)$/),
    ]);
  });

  it('refuses the name, malformed paths and paths through plain values', async () => {
    const lines = await problems('matrix:\n  name: [a, b]\n  "workload..x": [1]\n  workload.duration.x: [1]\n  faults.at: [1s]\n');
    expect(lines[0]).toMatch(/"name" cannot be a matrix dimension/);
    expect(lines[1]).toMatch(/"workload\.\.x" is not a field path/);
    expect(lines[2]).toMatch(/"workload\.duration" holds a value, not a mapping/);
    expect(lines[3]).toMatch(/"faults" is a list; name an item by its index, e.g. faults\[0\]/);
  });

  it('refuses an empty list, an empty matrix and too many variants', async () => {
    expect((await problems('matrix:\n  topology.replication: []\n'))[0]).toMatch(/needs at least one value/);
    expect((await problems('matrix: {}\n'))[0]).toMatch(/an empty matrix varies nothing/);
    const big = await problems('matrix:\n  seed: [1, 2, 3, 4, 5]\n  topology.replicas: [0, 1, 2, 3, 4]\n');
    expect(big[0]).toMatch(/matrix: 25 variants \(5 × 5\); at most 24 run in one matrix: narrow it/);
  });

  it('refuses a --set of a field the matrix varies', async () => {
    const lines = await problems('matrix:\n  topology.replication: [async, sync]\n', ['topology.replication=sync']);
    expect(lines[0]).toMatch(/--set topology.replication=sync conflicts with the matrix dimension topology.replication/);
    expect(lines[0]).toMatch(/--set 'matrix\["topology.replication"\]=\[...\]'/);
  });

  it('validates every variant, naming the variants and the matrix value at fault', async () => {
    const lines = await problems('matrix:\n  topology.replication: [async, bogus]\n  topology.replicas: [1, -1]\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /:10:33: topology.replication: variants 3, 4 \(e.g. replication=bogus,replicas=1\): expected one of "async", .* got string "bogus" \(from matrix topology.replication: bogus\)$/,
      ),
      expect.stringMatching(/:11:26: topology.replicas: variants 2, 4 \(e.g. replication=async,replicas=-1\): .*at least 0.* \(from matrix topology.replicas: -1\)$/),
    ]);
  });

  it('points at no line for a value that came from a --set of the matrix', async () => {
    const lines = await problems('matrix:\n  topology.replication: [async, sync]\n', ['matrix["topology.replication"]=[async, bogus]']);
    expect(lines).toEqual([expect.stringMatching(/s\d+\.yaml: topology.replication: variant 2 \(replication=bogus\): expected one of/)]);
  });

  it('plans the shipped teaching scenario: three replication modes', async () => {
    const file = join(SCENARIOS, 'matrix-replication.yaml');
    const matrix = planMatrix(await loadScenario(file));
    expect(matrix!.variants.map((v) => v.slug)).toEqual(['replication=async', 'replication=sync', 'replication=remote_apply']);
  });
});
