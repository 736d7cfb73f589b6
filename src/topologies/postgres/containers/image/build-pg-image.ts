import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { debianMirror } from './debian-mirror.ts';
import { DOCKER_ENV, docker, inspectImage } from '../../../../harness/containers/docker-cli.ts';
import { imageCacheDir, rootfsTarball } from './image-cache.ts';
import {
  IMAGE_DIR,
  type ImageBase,
  type ImageInputs,
  inputsHash,
  LABEL,
  OFFICIAL_BASE,
  packageList,
  projectImageTag,
  readImageInputs,
  rootfsKey,
  rootfsTag,
} from './pg-image-inputs.ts';
import { ImageBuildError } from '../../../../harness/containers/image-errors.ts';

// `faultline images build`: debootstrap a bookworm rootfs with the image's packages from the
// Debian mirror (cached as a tarball), `docker import` it under a local tag, then `docker build`
// the Dockerfile FROM that tag. No step contacts a registry. With base 'official' the build
// starts FROM the official postgres image instead (pulled: the one case that needs a registry).
// Each step prints what it does and how long it took.

export interface BuildOptions {
  readonly base?: ImageBase;
  /** Rebuild the image even when its tag exists (the rootfs cache is still used). */
  readonly force?: boolean;
  /** Also throw away the cached rootfs tarball and its imported tag. */
  readonly fresh?: boolean;
  readonly log?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Other repositories and cache (bench/ measures a cold build without touching the real ones). */
  readonly repositories?: { readonly image: string; readonly rootfs: string };
  readonly cacheDir?: string;
}

export interface BuildStep {
  readonly name: 'rootfs' | 'import' | 'pull' | 'build';
  readonly seconds: number;
  readonly cached: boolean;
}

export interface BuildResult {
  readonly tag: string;
  readonly id: string;
  readonly cached: boolean;
  readonly steps: readonly BuildStep[];
  readonly seconds: number;
  /** The image the Dockerfile was built FROM (the imported rootfs tag); absent when nothing was built. */
  readonly from?: string;
}

export async function buildPgImage(options: BuildOptions = {}): Promise<BuildResult> {
  const base = options.base ?? 'debian';
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const env = options.env ?? process.env;
  const inputs = readImageInputs();
  const tag = projectImageTag(inputs, base, options.repositories?.image);
  const started = performance.now();
  const steps: BuildStep[] = [];
  const step = async (name: BuildStep['name'], what: string, run: () => Promise<boolean>): Promise<void> => {
    log(`images: ${name}: ${what}`);
    const t0 = performance.now();
    const cached = await run();
    const seconds = (performance.now() - t0) / 1000;
    steps.push({ name, seconds, cached });
    log(`images: ${name}: ${cached ? 'cached' : 'done'} in ${seconds.toFixed(1)} s`);
  };

  const existing = await inspectImage(tag);
  if (existing && !options.force && !options.fresh) {
    log(`images: ${tag} is up to date (${existing.id.slice(7, 19)})`);
    return { tag, id: existing.id, cached: true, steps, seconds: (performance.now() - started) / 1000 };
  }

  const cacheDir = options.cacheDir ?? imageCacheDir(env);
  const logDir = join(cacheDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  let from: string;
  if (base === 'official') {
    from = OFFICIAL_BASE;
    await step('pull', `docker pull ${from} (asked for with --base official)`, async () => {
      await run(['pull', from], join(logDir, 'pull.log'), log);
      return false;
    });
  } else {
    const mirror = debianMirror(inputs.release, env);
    const key = rootfsKey(inputs, mirror);
    from = rootfsTag(key, options.repositories?.rootfs);
    const tarball = rootfsTarball(cacheDir, key);
    if (options.fresh) {
      rmSync(tarball, { force: true });
      await docker(['image', 'rm', '--force', from]);
    }
    const imported = await inspectImage(from);
    await step('rootfs', `${inputs.release} rootfs from ${mirror} (${tarball})`, async () => {
      if (imported || existsSync(tarball)) return true;
      await makeRootfs(inputs, mirror, cacheDir, tarball, log);
      return false;
    });
    await step('import', `docker import as ${from}`, async () => {
      if (imported) return true;
      const change = [`LABEL ${LABEL.kind}=rootfs`, `LABEL ${LABEL.inputs}=${key}`, 'CMD ["bash"]'];
      await run(['import', ...change.flatMap((c) => ['--change', c]), tarball, from], join(logDir, 'import.log'), log);
      return false;
    });
  }

  await step('build', `docker build -t ${tag} FROM ${from}`, async () => {
    const labels = [`${LABEL.kind}=postgres`, `${LABEL.inputs}=${inputsHash(inputs, base)}`, `${LABEL.base}=${base}`];
    const args = ['build', '--pull=false', '--build-arg', `BASE=${from}`, '--build-arg', `PACKAGES=${packageList(inputs).join(' ')}`];
    await run([...args, ...labels.flatMap((l) => ['--label', l]), '--tag', tag, IMAGE_DIR], join(logDir, 'build.log'), log, /^Step \d+\/\d+ : (FROM|COPY|RUN|LABEL)/);
    return false;
  });
  const built = await inspectImage(tag);
  if (!built) throw new ImageBuildError(`docker build reported success but ${tag} is not there`);
  const seconds = (performance.now() - started) / 1000;
  log(`images: built ${tag} (${built.id.slice(7, 19)}, ${(built.size / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s`);
  return { tag, id: built.id, cached: false, steps, seconds, from };
}

/** Runs `docker ARGS`, its output to `logFile`; echoes lines matching `show`; the log's tail on failure. */
async function run(args: readonly string[], logFile: string, log: (line: string) => void, show?: RegExp): Promise<void> {
  const child = execa('docker', args, { env: DOCKER_ENV, reject: false, all: true, buffer: { all: true } });
  await follow(child.all, logFile, log, show);
  const result = await child;
  if (result.exitCode !== 0) throw failure(`docker ${args[0]}`, String(result.all ?? result.message), logFile);
}

async function follow(stream: NodeJS.ReadableStream | undefined, logFile: string, log: (l: string) => void, show?: RegExp): Promise<void> {
  if (!stream) return;
  const file = createWriteStream(logFile, { flags: 'w' });
  let pending = '';
  for await (const chunk of stream) {
    file.write(chunk);
    pending += String(chunk);
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (show?.test(line)) log(`images:   ${line.slice(0, 110)}`);
  }
  file.end();
}

function failure(what: string, output: string, logFile: string): ImageBuildError {
  const tail = output.trim().split('\n').slice(-8).join('\n  ');
  return new ImageBuildError(`${what} failed (full log: ${logFile}):\n  ${tail}`);
}

// debootstrap into a work directory, prune what a server image never uses, tar it, rename into
// place (so an interrupted build never leaves a half tarball that later counts as cached).
async function makeRootfs(inputs: ImageInputs, mirror: string, cacheDir: string, tarball: string, log: (l: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new ImageBuildError('debootstrap needs root: run `sudo npx faultline images build`, or `faultline images build --base official` where a registry is reachable');
  }
  const workDirs = [SHM_WORK, join(cacheDir, 'work')];
  for (const dir of workDirs) removeStale(dir);
  removeStalePartials(cacheDir);
  const work = join(workDirs.find(roomFor) ?? join(cacheDir, 'work'), `rootfs-${process.pid}`);
  removeTree(work);
  mkdirSync(work, { recursive: true });
  const root = join(work, 'root');
  const logFile = join(cacheDir, 'logs', 'debootstrap.log');
  try {
    const packages = packageList(inputs);
    log(`images:   debootstrap --variant=minbase --include=${packages.join(',')} ${inputs.release}`);
    const args = ['--variant=minbase', `--include=${packages.join(',')}`, inputs.release, root, mirror];
    const child = execa('debootstrap', args, { reject: false, all: true, buffer: { all: true } });
    await follow(child.all, logFile, log, /^(I: (Retrieving Release|Resolving|Installing core|Unpacking the|Configuring the|Base system)|[WE]: )/);
    const result = await child;
    if (result.exitCode !== 0) throw failure('debootstrap', String(result.all ?? result.message), logFile);
    prune(root);
    const partial = `${tarball}.partial-${process.pid}`;
    const tar = await execa('tar', ['--numeric-owner', '--exclude=./dev/*', '--exclude=./proc/*', '--exclude=./sys/*', '-C', root, '-cf', partial, '.'], { reject: false });
    if (tar.exitCode !== 0) throw new ImageBuildError(`tar of the rootfs failed: ${String(tar.stderr).split('\n')[0]}`);
    renameSync(partial, tarball);
    log(`images:   rootfs tarball ${(statSync(tarball).size / 1e6).toFixed(0)} MB`);
  } finally {
    removeTree(work);
    try {
      rmdirSync(SHM_WORK); // only when empty: another build may be using it
    } catch {
      // not empty, or never made
    }
  }
}

// A build killed mid-debootstrap (Ctrl-C, kill -9) leaves its work tree, maybe with /proc and /sys
// still mounted inside, and a partial tarball: the next build removes those of dead processes.
function dead(pid: string): boolean {
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function removeStale(workDir: string): void {
  for (const name of existsSync(workDir) ? readdirSync(workDir) : []) {
    const pid = /^rootfs-(\d+)$/.exec(name)?.[1];
    if (pid && dead(pid)) removeTree(join(workDir, name));
  }
}

function removeStalePartials(cacheDir: string): void {
  for (const name of readdirSync(cacheDir)) {
    const pid = /\.partial-(\d+)$/.exec(name)?.[1];
    if (pid && dead(pid)) rmSync(join(cacheDir, name), { force: true });
  }
}

// debootstrap into RAM when there is room: dpkg syncs every file it unpacks, and on a busy VM
// disk that, not the download, is most of a cold build. The tarball still goes to the cache dir.
const SHM_WORK = '/dev/shm/faultline-images';
const ROOM = 3e9;

function roomFor(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize >= ROOM;
  } catch {
    return false;
  }
}

/** rm -rf that first unmounts whatever debootstrap left mounted inside, and never crosses a mount. */
function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((point): point is string => point?.startsWith(`${dir}/`) === true)
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) spawnSync('umount', ['-l', point]);
  const still = readFileSync('/proc/self/mounts', 'utf8').includes(` ${dir}/`);
  if (still) throw new ImageBuildError(`${dir} still has mounts inside; unmount them, then remove it by hand`);
  rmSync(dir, { recursive: true, force: true });
}

function prune(root: string): void {
  const drop = [
    'var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/info',
    'var/lib/postgresql/15/main', 'etc/postgresql/15/main', 'var/log/apt', 'var/cache/debconf/templates.dat-old',
  ];
  for (const path of drop) rmSync(join(root, path), { recursive: true, force: true });
  mkdirSync(join(root, 'var/cache/apt/archives/partial'), { recursive: true });
  mkdirSync(join(root, 'var/lib/apt/lists/partial'), { recursive: true });
}
