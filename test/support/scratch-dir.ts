import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

// Temporary folders for tests, gone when the test that made them ends, passed or failed (tests
// must leave nothing behind either). Outside a running test (a beforeAll), at the worker's exit.

function removeLater(dir: string): void {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    process.once('exit', remove);
  }
}

/** A new folder under the system's temporary directory, named `faultline-<prefix>-XXXXXX`. */
export function scratchDirSync(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `faultline-${prefix}-`));
  removeLater(dir);
  return dir;
}

export async function scratchDir(prefix: string): Promise<string> {
  return scratchDirSync(prefix);
}
