import { lstat, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createRunDir, markLatest, newRunId, readLatest } from '../../../src/harness/report/report-dir.ts';

// Simulates a filesystem without symlinks (Windows without developer mode, FAT, some shares).
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const symlink = vi.fn(async () => {
    throw Object.assign(new Error('EPERM: operation not permitted, symlink'), { code: 'EPERM' });
  });
  return { ...actual, default: { ...actual, symlink }, symlink };
});

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faultline-latest-fallback-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

it('falls back to a latest text file holding the run id, replaced as runs complete', async () => {
  const latest = path.join(root, 'quickstart', 'latest');
  for (const id of [newRunId(new Date('2026-11-21T14:05:09Z')), newRunId(new Date('2026-11-21T14:07:00Z'))]) {
    await createRunDir(root, 'quickstart', id);
    await markLatest(root, 'quickstart', id);
    expect((await lstat(latest)).isFile()).toBe(true);
    expect(await readFile(latest, 'utf8')).toBe(`${id}\n`);
    expect(await readLatest(root, 'quickstart')).toBe(id);
  }
  expect((await readdir(path.join(root, 'quickstart'))).filter((name) => name.startsWith('.'))).toEqual([]);
});
