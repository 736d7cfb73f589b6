import { open, stat, type FileHandle } from 'node:fs/promises';
import { LIMITS } from '../units/limits.ts';
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

/**
 * The file's text, if it is a regular file of at most LIMITS.scenarioFileBytes: a FIFO or
 * /dev/zero would never end, and a 50 MB file of keys is a mistake (or an attack) whose parse alone
 * would take gigabytes. The size is checked on the open handle, so a file cannot grow in between.
 */
async function readSource(file: string): Promise<string> {
  let handle: FileHandle | undefined;
  try {
    // stat before open: opening a FIFO blocks until someone writes to it.
    const kind = await stat(file);
    if (kind.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!kind.isFile()) throw new ScenarioError(file, [{ path: '', message: 'is not a regular file (a device, pipe or socket); give a scenario .yaml file' }]);
    handle = await open(file, 'r');
    const stats = await handle.stat();
    if (stats.size > LIMITS.scenarioFileBytes) {
      throw new ScenarioError(file, [{ path: '', message: `is ${megabytes(stats.size)}; a scenario file is at most ${megabytes(LIMITS.scenarioFileBytes)} (the largest shipped one is a few kB)` }]);
    }
    const bytes = Buffer.alloc(LIMITS.scenarioFileBytes + 1);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    if (bytesRead > LIMITS.scenarioFileBytes) throw new ScenarioError(file, [{ path: '', message: `grew beyond ${megabytes(LIMITS.scenarioFileBytes)} while being read` }]);
    return bytes.subarray(0, bytesRead).toString('utf8');
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    const message = READ_ERRORS[(error as NodeJS.ErrnoException).code ?? ''];
    if (message) throw new ScenarioError(file, [{ path: '', message }]);
    throw error;
  } finally {
    await handle?.close();
  }
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${+(bytes / 1024).toFixed(1)} kB`;
}
