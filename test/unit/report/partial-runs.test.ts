import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearPartial, describeIncomplete, findIncompleteRuns, incompleteRun, markPartial, PARTIAL_MARKER } from '../../../src/harness/report/partial-runs.ts';

// A run folder is marked PARTIAL from its creation until its reports are written, so a run killed
// with SIGKILL is recognisable afterwards (the integration side: a real kill -9 in the report).

describe('partial run folders', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'faultline-partial-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const runDir = async (scenario: string, id: string) => {
    const dir = join(root, scenario, id);
    await mkdir(dir, { recursive: true });
    return dir;
  };

  it('a run whose harness is gone is found as killed, with the history it kept', async () => {
    const dir = await runDir('quickstart', '2026-12-06T13-37-14Z-8d89');
    // A pid that cannot be alive: above pid_max.
    await writeFile(join(dir, PARTIAL_MARKER), JSON.stringify({ pid: 99_999_999, startedAt: '2026-12-06T13:37:14Z', scenario: 'quickstart' }));
    await writeFile(join(dir, 'history.jsonl'), '{"a":1}\n{"a":2}\n{"a":3}\n');
    const [found, ...more] = await findIncompleteRuns(root);
    expect(more).toEqual([]);
    expect(found).toMatchObject({ dir, state: 'killed', pid: 99_999_999, events: 3, hasResults: false });
    expect(describeIncomplete(found!, 'reports/quickstart/x')).toBe(
      'reports/quickstart/x: incomplete: its harness (pid 99999999) stopped before writing the report; started 2026-12-06T13:37:14Z, 3 history events kept, no results.json (faultline report reports/quickstart/x summarises what it measured)',
    );
  });

  it('a run of this very process is still running; once its reports are written it is complete', async () => {
    const dir = await runDir('quickstart', '2026-12-06T13-40-00Z-0001');
    await markPartial(dir, 'quickstart');
    expect(await incompleteRun(dir)).toMatchObject({ state: 'running', pid: process.pid });
    await clearPartial(dir);
    expect(await incompleteRun(dir)).toBeUndefined();
    expect(await findIncompleteRuns(root)).toEqual([]);
  });

  it('finds matrix variants a level further down, and a marker cut short by the kill still counts', async () => {
    const dir = await runDir('matrix-replication', '2026-12-06T13-41-00Z-0002');
    const variant = join(dir, 'sync', '2026-12-06T13-41-01Z-0003');
    await mkdir(variant, { recursive: true });
    await writeFile(join(variant, PARTIAL_MARKER), '{"pid": 12');
    expect((await findIncompleteRuns(root)).map((run) => run.dir)).toEqual([variant]);
  });
});
