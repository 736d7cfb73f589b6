import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

// A harness killed mid-write (SIGKILL, OOM, power) must leave either the old file or the new one,
// never half of one: readers of reports parse them. Write beside the target, flush, then rename,
// which POSIX makes atomic within a directory.

/** A hidden name in the same directory, so the rename never crosses a filesystem. */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const suffix = `${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  return path.join(dir, `.${path.basename(target)}.${suffix}`);
}

export async function writeFileAtomic(target: string, text: string): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      // Without the flush, a crash just after the rename can leave an empty file on some filesystems.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(target));
}

/** Makes the rename itself durable. Not every platform can open a directory; that is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only: the file content is already safe, only the rename's durability is at stake.
  }
}
