import { lstat, mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createNewRunDir,
  createRunDir,
  isRunId,
  markLatest,
  newRunId,
  readLatest,
} from '../../../src/harness/report/report-dir.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-report-dir-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('newRunId', () => {
  it('is UTC, second-resolution, filesystem-safe', () => {
    const id = newRunId(new Date('2026-11-21T14:05:09.987Z'));
    expect(id).toMatch(/^2026-11-21T14-05-09Z-[0-9a-f]{4}$/);
    expect(isRunId(id)).toBe(true);
    expect(id).not.toMatch(/[:/\\ ]/);
  });

  it('never repeats, even for many runs in the same second', () => {
    const second = new Date('2026-11-21T14:05:09Z');
    const ids = Array.from({ length: 5_000 }, () => newRunId(second));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts chronologically as plain strings', () => {
    const dates = ['2026-01-02T00:00:00Z', '2026-11-21T14:05:09Z', '2026-11-21T14:05:10Z', '2027-01-01T00:00:00Z', '2026-11-21T09:59:59Z'];
    const ids = dates.map((date) => newRunId(new Date(date)));
    const byTime = [...ids].sort((a, b) => Date.parse(toIso(a)) - Date.parse(toIso(b)));
    expect([...ids].sort()).toEqual(byTime);
  });

  it('rejects an invalid date', () => {
    expect(() => newRunId(new Date('nonsense'))).toThrow(/invalid date/);
  });
});

function toIso(id: string): string {
  return id.slice(0, 20).replace(/T(\d{2})-(\d{2})-(\d{2})Z/, 'T$1:$2:$3Z');
}

describe('createRunDir', () => {
  it('creates reports/<scenario>/<run-id>/ and returns its absolute path', async () => {
    const dir = await createRunDir(root, 'quickstart', '2026-11-21T14-05-09Z-3f2a');
    expect(dir).toBe(path.join(root, 'quickstart', '2026-11-21T14-05-09Z-3f2a'));
    expect((await lstat(dir)).isDirectory()).toBe(true);
  });

  it('refuses to reuse an existing run folder', async () => {
    await createRunDir(root, 'quickstart', '2026-11-21T14-05-09Z-3f2a');
    await expect(createRunDir(root, 'quickstart', '2026-11-21T14-05-09Z-3f2a')).rejects.toThrow(/already exists/);
  });

  it.each(['..', '../x', 'a/b', 'a\\b', '.hidden', ''])('rejects %j as a path segment', async (bad) => {
    await expect(createRunDir(root, bad, 'run')).rejects.toThrow(/cannot name a report folder/);
    await expect(createRunDir(root, 'quickstart', bad)).rejects.toThrow(/cannot name a report folder/);
  });

  it('reserves "latest" for the pointer, not for scenarios', async () => {
    await expect(createRunDir(root, 'quickstart', 'latest')).rejects.toThrow(/cannot name a report folder/);
    await expect(createRunDir(root, 'latest', '2026-11-21T14-05-09Z-3f2a')).resolves.toContain('latest');
  });

  it('createNewRunDir picks a fresh id and makes its folder', async () => {
    const a = await createNewRunDir(root, 'quickstart');
    const b = await createNewRunDir(root, 'quickstart');
    expect(a.runId).not.toBe(b.runId);
    expect(await readdir(path.join(root, 'quickstart'))).toEqual(expect.arrayContaining([a.runId, b.runId]));
  });
});

describe('markLatest', () => {
  it('points latest at the newest run with a relative symlink, moving as runs complete', async () => {
    const first = newRunId(new Date('2026-11-21T14:05:09Z'));
    const second = newRunId(new Date('2026-11-21T14:05:09Z'));
    const third = newRunId(new Date('2026-11-21T14:06:00Z'));
    const latest = path.join(root, 'quickstart', 'latest');

    for (const id of [first, second, third]) {
      await createRunDir(root, 'quickstart', id);
      await markLatest(root, 'quickstart', id);
      expect((await lstat(latest)).isSymbolicLink()).toBe(true);
      expect(await readlink(latest)).toBe(id);
      expect(await readLatest(root, 'quickstart')).toBe(id);
    }
    // Through the link, the newest run's files are reachable.
    await writeFile(path.join(root, 'quickstart', third, 'results.json'), '{}');
    expect((await lstat(path.join(latest, 'results.json'))).isFile()).toBe(true);
  });

  it('leaves no temporary link behind', async () => {
    const id = newRunId();
    await createRunDir(root, 'quickstart', id);
    await markLatest(root, 'quickstart', id);
    await markLatest(root, 'quickstart', id);
    expect((await readdir(path.join(root, 'quickstart'))).sort()).toEqual([id, 'latest'].sort());
  });

  it('refuses a run that has no folder', async () => {
    await createRunDir(root, 'quickstart', newRunId());
    await expect(markLatest(root, 'quickstart', newRunId())).rejects.toThrow(/not a run folder/);
  });

  it('reads as undefined before any run was marked', async () => {
    expect(await readLatest(root, 'never-ran')).toBeUndefined();
  });
});
