import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../output/exit-codes.ts';

// Where `faultline list` looks. Fixtures are deliberately broken or partial scenarios for tests,
// so they are never offered as something to run.

const SKIPPED_DIRS = new Set(['fixtures', 'node_modules']);
const CHECKOUT_SCENARIOS = fileURLToPath(new URL('../../../scenarios', import.meta.url));

/** ./scenarios when the current folder has one, else the scenarios that ship with faultline. */
export function defaultScenarioDir(cwd: string = process.cwd()): string {
  const local = resolve(cwd, 'scenarios');
  return existsSync(local) ? local : CHECKOUT_SCENARIOS;
}

/** Every *.yaml / *.yml under `dir`, recursively, sorted; absolute paths. */
export async function findScenarioFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UsageError(`"${dir}" is not a directory; give a folder of scenario .yaml files, e.g. faultline list scenarios`);
  }
  const entries = await readdir(dir, { recursive: true });
  return entries
    .filter((entry) => /\.ya?ml$/i.test(entry))
    .filter((entry) => !entry.split(sep).some((part) => SKIPPED_DIRS.has(part) || part.startsWith('.')))
    .map((entry) => join(resolve(dir), entry))
    .sort();
}
