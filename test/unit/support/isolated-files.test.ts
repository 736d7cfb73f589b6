import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { isIsolated } from '../../support/isolated-files.ts';

// Unit tests share a process per worker, so a module one of them replaces with vi.mock would be
// the replacement for the files after it too (or the real module for it). Such files must run
// isolated; this keeps the list in test/support/isolated-files.ts complete.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

it('runs every test file that mocks a module in a process of its own', async () => {
  const files = (await readdir(join(ROOT, 'test'), { recursive: true })).filter((file) => file.endsWith('.test.ts')).map((file) => relative(ROOT, join(ROOT, 'test', file)));
  expect(files.length).toBeGreaterThan(100);
  const mocking: string[] = [];
  for (const file of files) if (/\bvi\.(mock|doMock)\(/.test(await readFile(join(ROOT, file), 'utf8'))) mocking.push(file);
  expect(mocking).toContain('test/unit/report/mark-latest-fallback.test.ts');
  expect(mocking.filter((file) => !isIsolated(file))).toEqual([]);
});
