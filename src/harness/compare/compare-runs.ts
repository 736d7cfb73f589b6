import { usableOutDir } from '../output/out-dir.ts';
import path from 'node:path';
import { buildComparison } from './build-comparison.ts';
import { readRunDirs } from './read-run-dirs.ts';
import { renderComparisonMd } from './render-comparison-md.ts';
import { runLabels } from './run-labels.ts';
import { writeComparison } from './write-comparison.ts';

// `faultline compare`: the comparison a matrix run writes, built from runs already on disk, so
// any runs can be put side by side (two quickstarts a week apart, a matrix against a rerun).

export interface CompareOptions {
  readonly dirs: readonly string[];
  /** Write comparison.md, .html and .json here; without it, comparison.md goes to stdout. */
  readonly out?: string;
}

export async function compareRuns(options: CompareOptions): Promise<number> {
  // --out first: a bad folder is refused before any run folder is read.
  const out = options.out === undefined ? undefined : await usableOutDir(options.out);
  const runs = await readRunDirs(options.dirs);
  const labels = runLabels(runs);
  // Links in comparison.md are relative to where it is read from, so the folders can move together.
  const base = out ?? path.resolve('.');
  const comparison = buildComparison(
    runs.map((run, i) => ({ label: labels[i]!, dir: path.relative(base, run.dir) || '.', results: run.results })),
  );
  if (options.out === undefined) {
    process.stdout.write(renderComparisonMd(comparison));
    return 0;
  }
  const files = await writeComparison(base, comparison);
  const shown = [files.md, files.html, files.json].map((file) => path.relative(process.cwd(), file) || file);
  process.stdout.write(`compared ${runs.length} runs: ${shown.join(', ')}\n`);
  return 0;
}
