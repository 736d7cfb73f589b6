import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Scenario } from './schema.ts';
import { parseScenario } from './parse-scenario.ts';
import { ScenarioError } from './scenario-error.ts';

export interface LoadedScenario {
  /** Validated, with defaults filled in and durations in milliseconds. */
  readonly scenario: Scenario;
  /** Absolute path of the scenario file. */
  readonly file: string;
  /** The file's text as read, before --set overrides (reports keep it for reproduction). */
  readonly source: string;
}

/**
 * Reads, overrides (`--set path=value`) and validates a scenario file.
 * Every problem with the file or the overrides is thrown as one ScenarioError.
 */
export async function loadScenario(file: string, overrides: readonly string[] = []): Promise<LoadedScenario> {
  const source = await readSource(file);
  return { scenario: parseScenario(source, file, overrides), file: resolve(file), source };
}

// Unreadable files are the user's to fix, like any other problem with the scenario.
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file; check the path (scenarios live in scenarios/, e.g. scenarios/quickstart.yaml)',
  EISDIR: 'is a directory; give a scenario .yaml file',
  EACCES: 'permission denied; the file must be readable',
  ENOTDIR: 'no such file: a parent of this path is not a directory',
};

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const message = READ_ERRORS[(error as NodeJS.ErrnoException).code ?? ''];
    if (message) throw new ScenarioError(file, [{ path: '', message }]);
    throw error;
  }
}
