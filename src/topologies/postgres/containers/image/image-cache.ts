import { homedir } from 'node:os';
import { join } from 'node:path';

// Where the debootstrap rootfs tarballs are kept between runs (and the build logs): the first
// that applies of FAULTLINE_CACHE_DIR, /var/cache/faultline for root, $XDG_CACHE_HOME/faultline,
// ~/.cache/faultline. Kept out of the checkout so a fresh clone reuses it.

export function imageCacheDir(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? -1): string {
  if (env.FAULTLINE_CACHE_DIR) return env.FAULTLINE_CACHE_DIR;
  if (uid === 0) return '/var/cache/faultline';
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'faultline');
}

export function rootfsTarball(cacheDir: string, key: string): string {
  return join(cacheDir, `rootfs-${key}.tar`);
}
