import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MongoBinaries {
  readonly binDir: string;
  /** e.g. "8.0.4" */
  readonly version: string;
  path(tool: 'mongod' | 'mongos'): string;
}

export class MissingMongoError extends Error {}

export const MONGO_INSTALL_HINT =
  "install MongoDB's mongod and mongos (MongoDB's own packages or tarball), set FAULTLINE_MONGO_BINDIR, " +
  'or run with --provider containers on a machine with Docker; `faultline doctor` says what this machine has';

const executable = (path: string) => access(path, constants.X_OK).then(() => true, () => false);

/** Directories to look in, in order: the scenario's, the environment's, then PATH. */
export function mongoCandidates(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (configured) return [configured];
  const dirs: string[] = [];
  if (env.FAULTLINE_MONGO_BINDIR) dirs.push(env.FAULTLINE_MONGO_BINDIR);
  for (const dir of (env.PATH ?? '').split(':')) if (dir) dirs.push(dir);
  return dirs;
}

/** Parses `mongod --version` ("db version v8.0.4") and `mongos --version` ("mongos version v8.0.4"). */
export function parseMongoVersion(output: string): string | undefined {
  return /version v?(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

/** Finds a directory with mongod (and mongos when `needRouter`), and asks it its version. */
export async function findMongoBinaries(configured?: string, needRouter = false): Promise<MongoBinaries> {
  const named = configured ?? process.env.FAULTLINE_MONGO_BINDIR;
  for (const binDir of mongoCandidates(configured)) {
    if (!(await executable(join(binDir, 'mongod')))) continue;
    if (needRouter && !(await executable(join(binDir, 'mongos')))) continue;
    const { stdout } = await run(join(binDir, 'mongod'), ['--version']);
    return { binDir, version: parseMongoVersion(stdout) ?? 'unknown', path: (tool) => join(binDir, tool) };
  }
  const what = needRouter ? 'mongod and mongos' : 'mongod';
  throw new MissingMongoError(
    named ? `FAULTLINE_MONGO_BINDIR: no ${what} in ${named}; ${MONGO_INSTALL_HINT}` : `no ${what} found on PATH; ${MONGO_INSTALL_HINT}`,
  );
}
