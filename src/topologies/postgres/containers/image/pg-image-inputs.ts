import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// What defines faultline's PostgreSQL image, and the local tag derived from it. The tag is a hash
// of the inputs (Dockerfile, entrypoint, package list, Debian release, base), so the image is
// rebuilt only when one of them changes, and the provider can name the current image without
// asking any registry. No I/O besides reading the files in this folder.

export const PG_MAJOR = '15';
export const DEBIAN_RELEASE = 'bookworm';
export const IMAGE_REPOSITORY = 'faultline/postgres';
export const ROOTFS_REPOSITORY = 'faultline/rootfs';
/** The official image a registry-connected build starts from (`--base official`). */
export const OFFICIAL_BASE = `postgres:${PG_MAJOR}-${DEBIAN_RELEASE}`;

/** Labels on every image `faultline images build` makes, so `faultline images list` finds them. */
export const LABEL = {
  kind: 'io.faultline.image',
  inputs: 'io.faultline.inputs',
  base: 'io.faultline.base',
} as const;

export type ImageBase = 'debian' | 'official';

export const IMAGE_DIR = new URL('./', import.meta.url).pathname;
export const INPUT_FILES = ['Dockerfile', 'docker-entrypoint.sh', 'packages.txt'] as const;

export interface ImageInputs {
  readonly files: Readonly<Record<(typeof INPUT_FILES)[number], string>>;
  readonly release: string;
}

export function readImageInputs(dir = IMAGE_DIR): ImageInputs {
  const files = Object.fromEntries(INPUT_FILES.map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')]));
  return { files: files as ImageInputs['files'], release: DEBIAN_RELEASE };
}

/** The package list: one a line, `#` comments and blank lines ignored. */
export function packageList(inputs: ImageInputs): string[] {
  return inputs.files['packages.txt']
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  // Length-prefixed, so moving text from one part to the next changes the hash.
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.digest('hex');
}

/** The full input hash: what `io.faultline.inputs` records. */
export function inputsHash(inputs: ImageInputs, base: ImageBase = 'debian'): string {
  const f = inputs.files;
  return digest(['faultline-pg-image/1', inputs.release, base, f.Dockerfile, f['docker-entrypoint.sh'], packageList(inputs).join('\n')]);
}

/** e.g. faultline/postgres:15-3f2a9c0d1b7e (debian base) or faultline/postgres:15-official-… */
export function projectImageTag(inputs: ImageInputs = readImageInputs(), base: ImageBase = 'debian', repository = IMAGE_REPOSITORY): string {
  const short = inputsHash(inputs, base).slice(0, 12);
  return `${repository}:${PG_MAJOR}-${base === 'debian' ? '' : `${base}-`}${short}`;
}

/**
 * The rootfs depends on the release, the packages and the mirror they come from (not on the
 * Dockerfile or entrypoint), so editing the entrypoint reuses the cached rootfs.
 */
export function rootfsKey(inputs: ImageInputs, mirror: string): string {
  return `${inputs.release}-${digest(['faultline-rootfs/1', inputs.release, 'minbase', mirror, packageList(inputs).join('\n')]).slice(0, 12)}`;
}

export function rootfsTag(key: string, repository = ROOTFS_REPOSITORY): string {
  return `${repository}:${key}`;
}
