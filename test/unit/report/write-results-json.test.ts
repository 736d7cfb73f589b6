import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESULTS_FILE, assertNoSecrets, writeResultsJson } from '../../../src/harness/report/write-results-json.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { FIXTURE_PASSWORD, completedRun, failedRun } from './fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faultline-results-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeResultsJson', () => {
  it('round-trips: what is read back equals what was written', async () => {
    for (const results of [completedRun(), failedRun()]) {
      const file = await writeResultsJson(dir, results, [FIXTURE_PASSWORD]);
      expect(file).toBe(path.join(dir, RESULTS_FILE));
      const back = JSON.parse(await readFile(file, 'utf8')) as RunResults;
      expect(back).toEqual(results);
    }
  });

  it('is pretty and ends with a newline', async () => {
    const text = await readFile(await writeResultsJson(dir, completedRun()), 'utf8');
    expect(text.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('leaves no temporary file behind, also when replacing an earlier file', async () => {
    await writeResultsJson(dir, failedRun());
    await writeResultsJson(dir, completedRun());
    expect(await readdir(dir)).toEqual([RESULTS_FILE]);
    expect(JSON.parse(await readFile(path.join(dir, RESULTS_FILE), 'utf8'))).toEqual(completedRun());
  });

  it('never leaves a half file: a failed replace keeps the old state and cleans up', async () => {
    // A directory where the file should go makes the final rename fail after the temp was written.
    await mkdir(path.join(dir, RESULTS_FILE));
    await writeFile(path.join(dir, RESULTS_FILE, 'keep'), 'x');
    await expect(writeResultsJson(dir, completedRun())).rejects.toThrow();
    expect(await readdir(dir)).toEqual([RESULTS_FILE]);
    expect(await readdir(path.join(dir, RESULTS_FILE))).toEqual(['keep']);
  });

  it('refuses to write results that contain the database password', async () => {
    const leaky: RunResults = {
      ...failedRun(),
      run: { ...failedRun().run, error: `connection to postgres://faultline:${FIXTURE_PASSWORD}@127.0.0.1:54321 refused` },
    };
    await expect(writeResultsJson(dir, leaky, [FIXTURE_PASSWORD])).rejects.toThrow(/secret #1/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('assertNoSecrets', () => {
  it('passes clean text', () => {
    expect(() => assertNoSecrets('{"ok":true}', [FIXTURE_PASSWORD])).not.toThrow();
  });

  it('catches a password and does not repeat it in the error', () => {
    let message = '';
    try {
      assertNoSecrets(`password=${FIXTURE_PASSWORD}`, ['unrelated', FIXTURE_PASSWORD]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/secret #2/);
    expect(message).not.toContain(FIXTURE_PASSWORD);
  });

  it('catches a password as it appears inside JSON and inside a URL', () => {
    const awkward = 'p"a\\ss@w/rd';
    expect(() => assertNoSecrets(JSON.stringify({ error: awkward }), [awkward])).toThrow();
    expect(() => assertNoSecrets(`postgres://u:${encodeURIComponent(awkward)}@h/db`, [awkward])).toThrow();
  });

  it('ignores empty secrets, which would match everything', () => {
    expect(() => assertNoSecrets('anything', [''])).not.toThrow();
  });
});
