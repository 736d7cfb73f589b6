import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildComparison } from '../../../src/harness/compare/build-comparison.ts';
import { matrixExitCode } from '../../../src/harness/matrix/matrix-command.ts';
import { manifestOf, readManifest, writeManifest } from '../../../src/harness/matrix/matrix-manifest.ts';
import { planMatrix, type MatrixPlan } from '../../../src/harness/matrix/plan-matrix.ts';
import type { MatrixOutcome } from '../../../src/harness/matrix/run-matrix.ts';
import type { RunStatus } from '../../../src/harness/results/results-types.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { completedRun } from '../report/fixtures.ts';
import { SCENARIOS } from '../scenario/fixtures.ts';

let dir: string;
let plan: MatrixPlan;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-manifest-'));
  plan = planMatrix(await loadScenario(join(SCENARIOS, 'matrix-replication.yaml')))!;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('matrix.json', () => {
  it('records the plan in run order and reads back', async () => {
    const manifest = manifestOf(plan, 'mx-1', new Date('2026-11-21T14:00:00Z'));
    expect(manifest).toMatchObject({
      scenario: 'matrix-replication',
      seed: 7,
      matrixRunId: 'mx-1',
      startedAt: '2026-11-21T14:00:00.000Z',
      dimensions: [{ key: 'topology.replication', values: ['async', 'sync', 'remote_apply'] }],
    });
    expect(manifest.variants[1]).toEqual({ index: 2, label: 'replication=sync', slug: 'replication=sync', values: { 'topology.replication': 'sync' } });
    await writeManifest(dir, manifest);
    expect(await readManifest(dir)).toEqual(manifest);
  });

  it('is absent from other folders, and refuses slugs that leave the matrix folder', async () => {
    expect(await readManifest(join(dir, 'nowhere'))).toBeUndefined();
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'matrix.json'), JSON.stringify({ variants: [{ label: 'x', slug: '../../etc' }] }));
    await expect(readManifest(bad)).rejects.toThrow(/not a faultline matrix manifest/);
  });
});

describe('matrix exit code', () => {
  function outcome(statuses: readonly RunStatus[], notRun = 0): MatrixOutcome {
    const outcomes = statuses.map((status, i) => {
      const results = completedRun();
      return { variant: plan.variants[i]!, results: { ...results, run: { ...results.run, status } }, reportDir: `/r/${i}` };
    });
    return { matrixRunId: 'm', matrixDir: '/r', outcomes, notRun: plan.variants.slice(3 - notRun), comparison: buildComparison([]) };
  }

  it('is 0 only when every variant ran and completed, 130 when interrupted, else 1', () => {
    expect(matrixExitCode(outcome(['completed', 'completed', 'completed']), false)).toBe(0);
    expect(matrixExitCode(outcome(['completed', 'failed', 'completed']), false)).toBe(1);
    expect(matrixExitCode(outcome(['completed', 'interrupted'], 1), true)).toBe(130);
    expect(matrixExitCode(outcome(['completed', 'completed'], 1), true)).toBe(130);
    expect(matrixExitCode(outcome(['completed', 'completed'], 1), false)).toBe(1);
  });
});
