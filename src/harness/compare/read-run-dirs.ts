import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../output/exit-codes.ts';
import { MATRIX_FILE, readManifest } from '../results/matrix-manifest.ts';
import type { RunResults } from '../results/results-types.ts';
import { RESULTS_FILE } from '../report/write-results-json.ts';
import { describeIncomplete, incompleteRun } from '../report/partial-runs.ts';
import { errorMessage } from '../output/errors.ts';

// Finds the runs behind the folders given to `faultline compare`: a run folder (it holds
// results.json), or a matrix run folder (matrix.json lists its variants, in order). Anything else
// is the user's to fix and says what was expected.

export interface RunOnDisk {
  /** Absolute path of the run folder. */
  readonly dir: string;
  readonly results: RunResults;
  /** The matrix variant's label, when the run came from a matrix folder. */
  readonly label?: string;
}

const EXPECTED = 'give run folders (each holds results.json, e.g. reports/quickstart/latest) or matrix run folders';

export async function readRunDirs(dirs: readonly string[]): Promise<RunOnDisk[]> {
  const runs: RunOnDisk[] = [];
  for (const given of dirs) runs.push(...(await readOne(given)));
  return runs;
}

async function readOne(given: string): Promise<RunOnDisk[]> {
  const absolute = path.resolve(given);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new UsageError(`${given}: no such folder; ${EXPECTED}`);
  // A path to results.json itself is as good as its folder.
  if (info.isFile() && path.basename(absolute) === RESULTS_FILE) return [await readRun(path.dirname(absolute), given)];
  if (!info.isDirectory()) throw new UsageError(`${given}: not a folder; ${EXPECTED}`);
  if (await exists(path.join(absolute, RESULTS_FILE))) return [await readRun(absolute, given)];
  // A run killed before its report: say so rather than "holds no results.json".
  const incomplete = await incompleteRun(absolute);
  if (incomplete) throw new UsageError(`${describeIncomplete(incomplete, given)}: nothing to compare; leave it out`);
  const matrix = await readMatrixDir(absolute, given);
  if (matrix.length > 0) return matrix;
  const children = await childRunDirs(absolute);
  const hint = children.length > 0 ? ` (the run folders in it, ${children.slice(0, 3).map((child) => path.join(given, child)).join(', ')}${children.length > 3 ? ', ...' : ''}, do)` : '';
  throw new UsageError(`${given} holds no ${RESULTS_FILE}${hint}; ${EXPECTED}`);
}

async function readMatrixDir(dir: string, given: string): Promise<RunOnDisk[]> {
  const manifest = await readManifest(dir).catch((error: unknown) => {
    throw new UsageError(`${given}: ${errorMessage(error)}`);
  });
  if (manifest) {
    const runs: RunOnDisk[] = [];
    // Variants that never ran (an interrupted matrix) have no folder; they are simply not compared.
    for (const variant of manifest.variants) {
      const variantDir = path.join(dir, variant.slug);
      if (await exists(path.join(variantDir, RESULTS_FILE))) runs.push({ ...(await readRun(variantDir, path.join(given, variant.slug))), label: variant.label });
    }
    if (runs.length === 0) throw new UsageError(`${given}: a matrix run folder, but none of its variants has a ${RESULTS_FILE} yet`);
    return runs;
  }
  return [];
}

async function readRun(dir: string, given: string): Promise<RunOnDisk> {
  const file = path.join(dir, RESULTS_FILE);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new UsageError(`${path.join(given, RESULTS_FILE)} ${why}`);
  }
  if (!looksLikeResults(data)) throw new UsageError(`${path.join(given, RESULTS_FILE)} is not a faultline results.json`);
  return { dir, results: data };
}

// Enough of the shape to build a comparison without crashing; results.json only ever gains fields.
function looksLikeResults(data: unknown): data is RunResults {
  if (typeof data !== 'object' || data === null) return false;
  const r = data as Partial<Record<keyof RunResults, unknown>>;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null;
  return (
    typeof r.schemaVersion === 'number' &&
    [r.scenario, r.resolvedScenario, r.run, r.operations, r.totals, r.checks].every(isObject) &&
    isObject((r.totals as { latencyMs?: unknown }).latencyMs)
  );
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Run and matrix run folders directly inside `dir` (a scenario's reports folder), to suggest what to compare. */
async function childRunDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const child = path.join(dir, entry.name);
    if (!entry.isDirectory()) continue;
    if ((await exists(path.join(child, RESULTS_FILE))) || (await exists(path.join(child, MATRIX_FILE)))) found.push(entry.name);
  }
  return found.sort();
}
