import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './exit-codes.ts';

// `--out` names a folder the command writes into. A file, or a folder nobody can write to, is the
// user's mistake: one line and exit 2 before anything starts, never an "internal error" from a
// mkdir half-way through a run.

/** Resolves `--out`, creating it if needed; throws UsageError saying what is wrong with it. */
export async function usableOutDir(out: string, flag = '--out'): Promise<string> {
  const dir = resolve(out);
  const existing = await nearestExisting(dir);
  const kind = await stat(existing);
  if (!kind.isDirectory()) {
    throw new UsageError(`${flag} ${out}: ${existing === dir ? 'is a file' : `${existing} is a file`}, not a folder; give a folder to write into`);
  }
  try {
    await access(existing, constants.W_OK);
    // One level at a time: a recursive mkdir loops forever where the kernel refuses a folder (/proc/x).
    for (const each of missingLevels(existing, dir)) await mkdir(each);
    // access() says yes to root on a read-only file system: writing is the only sure test.
    const probe = join(dir, `.faultline-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${flag} ${out}: cannot write there (${code}); give a folder you can write to`);
  }
  return dir;
}

async function nearestExisting(dir: string): Promise<string> {
  let current = dir;
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/** The folders between an existing ancestor and `dir`, outermost first. */
function missingLevels(existing: string, dir: string): string[] {
  const levels: string[] = [];
  for (let current = dir; current !== existing && current !== dirname(current); current = dirname(current)) levels.unshift(current);
  return levels;
}
