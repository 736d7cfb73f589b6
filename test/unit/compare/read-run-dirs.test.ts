import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure, UsageError } from '../../../src/harness/output/exit-codes.ts';
import { readRunDirs } from '../../../src/harness/compare/read-run-dirs.ts';
import { runLabels } from '../../../src/harness/compare/run-labels.ts';
import { renderResultsJson } from '../../../src/harness/report/write-results-json.ts';
import { completedRun } from '../report/fixtures.ts';
import { threeVariants, withReplication } from './compare-fixtures.ts';

// `faultline compare` takes run folders and matrix run folders; anything else is exit 2 with a
// message saying what was expected.

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'faultline-compare-'));
  const matrix = join(root, 'mx', 'matrix-1');
  for (const { dir, results } of threeVariants()) {
    await mkdir(join(matrix, dir), { recursive: true });
    await writeFile(join(matrix, dir, 'results.json'), renderResultsJson(results));
  }
  // remote_apply never ran: listed in the manifest, no folder.
  const variants = ['async', 'remote_apply', 'sync', 'quorum'].map((value, i) => ({ index: i + 1, label: `replication=${value}`, slug: `replication=${value}`, values: {} }));
  await writeFile(join(matrix, 'matrix.json'), JSON.stringify({ schemaVersion: 1, variants }));
  await rm(join(matrix, 'replication=remote_apply'), { recursive: true });
  await symlink('matrix-1', join(root, 'mx', 'latest'));
  await mkdir(join(root, 'empty'));
  await mkdir(join(root, 'broken'));
  await writeFile(join(root, 'broken', 'results.json'), '{"schemaVersion": 1,');
  await mkdir(join(root, 'other'));
  await writeFile(join(root, 'other', 'results.json'), '{"hello": "world"}');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function usageError(dirs: readonly string[]): Promise<string> {
  const error = await readRunDirs(dirs).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect(describeFailure(error, false).code).toBe(2);
  return (error as Error).message;
}

describe('readRunDirs', () => {
  it('reads run folders, and results.json given directly', async () => {
    const runs = await readRunDirs([join(root, 'mx', 'matrix-1', 'replication=sync'), join(root, 'mx', 'matrix-1', 'replication=async', 'results.json')]);
    expect(runs.map((run) => [run.dir, run.results.run.id, run.label])).toEqual([
      [join(root, 'mx', 'matrix-1', 'replication=sync'), 'run-b', undefined],
      [join(root, 'mx', 'matrix-1', 'replication=async'), 'run-a', undefined],
    ]);
  });

  it('expands a matrix folder (also through latest) into the variants that ran, in the manifest order, with their labels', async () => {
    const runs = await readRunDirs([join(root, 'mx', 'latest')]);
    expect(runs.map((run) => run.label)).toEqual(['replication=async', 'replication=sync']);
    expect(runs.map((run) => run.results.run.id)).toEqual(['run-a', 'run-b']);
  });

  it('explains folders that hold no run', async () => {
    expect(await usageError([join(root, 'nope')])).toMatch(/nope: no such folder; give run folders \(each holds results.json/);
    expect(await usageError([join(root, 'empty')])).toMatch(/empty holds no results.json; give run folders/);
    expect(await usageError([join(root, 'mx')])).toMatch(/mx holds no results.json \(the run folders in it, .*mx\/matrix-1, do\)/);
    expect(await usageError([join(root, 'broken')])).toMatch(/broken\/results.json is not valid JSON/);
    expect(await usageError([join(root, 'other')])).toMatch(/other\/results.json is not a faultline results.json/);
  });
});

describe('runLabels', () => {
  it('names runs by the fields they differ in, keeping labels already given', () => {
    const a = withReplication(completedRun(), 'async', 'run-a');
    const b = withReplication(completedRun(), 'sync', 'run-b');
    expect(runLabels([{ results: a }, { results: b }])).toEqual(['replication=async', 'replication=sync']);
    expect(runLabels([{ results: a, label: 'mine' }, { results: b }])).toEqual(['mine', 'replication=sync']);
  });

  it('falls back to run ids for identical scenarios, and tells reruns apart', () => {
    const a = withReplication(completedRun(), 'async', 'run-a');
    expect(runLabels([{ results: a }, { results: { ...a, run: { ...a.run, id: 'run-z' } } }])).toEqual(['run-a', 'run-z']);
    const b = withReplication(completedRun(), 'sync', 'run-b');
    expect(runLabels([{ results: a }, { results: b }, { results: { ...b, run: { ...b.run, id: 'run-c' } } }])).toEqual([
      'replication=async',
      'replication=sync (run-b)',
      'replication=sync (run-c)',
    ]);
  });

  it('leads with the scenario name and leaves the description out', () => {
    const a = completedRun();
    const other = { ...a, resolvedScenario: { ...a.resolvedScenario, name: 'other', description: 'something else', seed: 9 } };
    expect(runLabels([{ results: a }, { results: other }])).toEqual(['name=checkout-under-replication,seed=42', 'name=other,seed=9']);
  });
});
