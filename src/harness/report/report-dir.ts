import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readlink, rename, stat, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { tempPathFor, writeFileAtomic } from './atomic-write.ts';

// Layout: reports/<scenario>/<run-id>/ per run, and reports/<scenario>/latest naming the newest.
// Run ids sort by time so `ls` lists runs in order, and carry a random tail so that two runs
// started in the same second, even by different processes, do not share a folder.

export const LATEST = 'latest';

const RUN_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{4}$/;

// Remembered so one process never hands out the same id twice; other processes are kept apart
// by the random tail and, should that collide, by createRunDir refusing an existing folder.
const issued = new Set<string>();

/** e.g. 2026-11-21T14-05-09Z-3f2a: UTC, no ':' (Windows forbids it), sorts chronologically. */
export function newRunId(date: Date = new Date()): string {
  if (Number.isNaN(date.getTime())) throw new Error('newRunId: invalid date');
  const stamp = `${date.toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const id = `${stamp}-${randomBytes(2).toString('hex')}`;
    if (!issued.has(id)) {
      issued.add(id);
      return id;
    }
  }
  throw new Error(`newRunId: ran out of unique ids for ${stamp}`);
}

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}

/** Scenario names and run ids become path segments: one level, never a way out of reportsRoot. */
function assertSegment(kind: string, value: string): void {
  const unsafe =
    value.length === 0 || value === '.' || value === '..' || value.startsWith('.') || /[/\\\0:]/.test(value);
  // A run called "latest" would be shadowed by the pointer; a scenario called that is harmless.
  if (unsafe || (kind === 'run id' && value === LATEST)) throw new Error(`${kind} ${JSON.stringify(value)} cannot name a report folder`);
}

export function scenarioDir(reportsRoot: string, scenarioName: string): string {
  assertSegment('scenario name', scenarioName);
  return path.resolve(reportsRoot, scenarioName);
}

/**
 * Creates reports/<scenario>/<run-id>/ and returns its absolute path. Fails if the run folder
 * already exists: a run never writes into another run's results.
 */
export async function createRunDir(reportsRoot: string, scenarioName: string, runId: string): Promise<string> {
  const dir = await tryCreateRunDir(reportsRoot, scenarioName, runId);
  if (dir === undefined) throw new Error(`run folder already exists: ${path.join(scenarioDir(reportsRoot, scenarioName), runId)}`);
  return dir;
}

/** newRunId + createRunDir, retrying the rare cross-process collision with a fresh id. */
export async function createNewRunDir(
  reportsRoot: string,
  scenarioName: string,
  date: Date = new Date(),
): Promise<{ runId: string; dir: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const runId = newRunId(date);
    const dir = await tryCreateRunDir(reportsRoot, scenarioName, runId);
    if (dir !== undefined) return { runId, dir };
  }
  throw new Error(`could not find a free run folder under ${scenarioDir(reportsRoot, scenarioName)}`);
}

/** The run folder's path, or undefined when it already exists. */
async function tryCreateRunDir(reportsRoot: string, scenarioName: string, runId: string): Promise<string | undefined> {
  assertSegment('run id', runId);
  const parent = scenarioDir(reportsRoot, scenarioName);
  await mkdir(parent, { recursive: true });
  const dir = path.join(parent, runId);
  try {
    await mkdir(dir);
    return dir;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw error;
  }
}

// Platforms and filesystems that cannot make symlinks (Windows without developer mode, some
// network and FAT mounts) say so with one of these; anything else is a real error.
const NO_SYMLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Points reports/<scenario>/latest at `runId`. A relative symlink, so the reports folder can be
 * moved or copied whole; replaced by renaming a fresh link over it, so readers always see either
 * the old target or the new one. Where symlinks are impossible, `latest` is a text file holding
 * the run id, replaced just as atomically.
 */
export async function markLatest(reportsRoot: string, scenarioName: string, runId: string): Promise<void> {
  assertSegment('run id', runId);
  const parent = scenarioDir(reportsRoot, scenarioName);
  const runStat = await stat(path.join(parent, runId)).catch(() => undefined);
  if (!runStat?.isDirectory()) throw new Error(`cannot mark ${runId} as latest: ${path.join(parent, runId)} is not a run folder`);

  const latest = path.join(parent, LATEST);
  const temp = tempPathFor(latest);
  try {
    await symlink(runId, temp, 'dir');
  } catch (error) {
    if (!NO_SYMLINKS.has(errorCode(error) ?? '')) throw error;
    await writeFileAtomic(latest, `${runId}\n`);
    return;
  }
  try {
    await rename(temp, latest);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The run id `latest` points at, whichever form it took; undefined when no run was marked. */
export async function readLatest(reportsRoot: string, scenarioName: string): Promise<string | undefined> {
  const latest = path.join(scenarioDir(reportsRoot, scenarioName), LATEST);
  const info = await lstat(latest).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return undefined;
  if (info.isSymbolicLink()) return path.basename(await readlink(latest));
  return (await readFile(latest, 'utf8')).trim();
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
