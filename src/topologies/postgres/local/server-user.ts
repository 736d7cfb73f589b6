import { chown } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { EnvironmentError } from '../../../harness/output/errors.ts';

/**
 * initdb and postgres refuse to run as root. When the harness is root (CI is), servers run as
 * the unprivileged `postgres` user; otherwise they run as whoever runs the harness.
 */
export interface ServerUser {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
  /** True when servers run as another user than the harness (files must be chowned). */
  readonly switched: boolean;
}

export function serverUser(): ServerUser {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  if (uid !== 0) return { uid, gid, name: process.env.USER ?? String(uid), switched: false };
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) {
    throw new EnvironmentError(
      'running as root, PostgreSQL needs an unprivileged user named postgres: create it (useradd --system postgres) or run faultline as a normal user',
    );
  }
  const [, , u, g] = line.split(':');
  return { uid: Number(u), gid: Number(g), name: 'postgres', switched: true };
}

export async function giveToServer(user: ServerUser, ...paths: string[]): Promise<void> {
  if (!user.switched) return;
  await Promise.all(paths.map((path) => chown(path, user.uid, user.gid)));
}

/** Spawn options that run a child as the server user. */
export function asServer(user: ServerUser): { uid?: number; gid?: number } {
  return user.switched ? { uid: user.uid, gid: user.gid } : {};
}
