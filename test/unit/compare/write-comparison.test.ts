import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildComparison } from '../../../src/harness/compare/build-comparison.ts';
import { renderComparisonMd } from '../../../src/harness/compare/render-comparison-md.ts';
import { writeComparison } from '../../../src/harness/compare/write-comparison.ts';
import { threeVariants } from './compare-fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-comparison-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeComparison', () => {
  it('writes comparison.json (the data, read back whole), comparison.md and comparison.html, creating the folder', async () => {
    const comparison = buildComparison(threeVariants());
    const out = join(dir, 'nested', 'out');
    const files = await writeComparison(out, comparison);
    expect(files).toEqual({ json: join(out, 'comparison.json'), md: join(out, 'comparison.md'), html: join(out, 'comparison.html') });
    expect(JSON.parse(await readFile(files.json, 'utf8'))).toEqual(comparison);
    expect(await readFile(files.md, 'utf8')).toBe(renderComparisonMd(comparison));
    // Atomic writes leave no temporary files behind.
    const page = await readFile(files.html, 'utf8');
    // Two grouped bar charts drawn, none left out with a note.
    expect(page.match(/<figure id="chart-/g)).toHaveLength(2);
    expect(page.match(/<svg/g)).toHaveLength(2);
    expect(page).not.toContain('could not be drawn');
    expect((await readdir(out)).sort()).toEqual(['comparison.html', 'comparison.json', 'comparison.md']);
  });
});
