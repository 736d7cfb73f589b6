import path from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import type { RunResults } from '../results/results-types.ts';
import { assertNoSecrets } from './secret-guard.ts';

export { assertNoSecrets } from './secret-guard.ts';

export const RESULTS_FILE = 'results.json';

/** Pretty, stable JSON: readable in a diff, and the same results always give the same bytes. */
export function renderResultsJson(results: RunResults): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

/**
 * Writes <dir>/results.json atomically and returns its path. `secrets` (the run's database
 * password, at least) are checked first, so a leak stops the write instead of publishing it.
 */
export async function writeResultsJson(
  dir: string,
  results: RunResults,
  secrets: readonly string[] = [],
): Promise<string> {
  const text = renderResultsJson(results);
  assertNoSecrets(text, secrets);
  const target = path.join(dir, RESULTS_FILE);
  await writeFileAtomic(target, text);
  return target;
}
