import { execa, type Options } from 'execa';
import { EngineUnavailableError } from './image-errors.ts';

// The docker client, for what faultline does with images: inspect, list, import, build, pull.
// The CLI rather than testcontainers' client because `docker build` and `docker import` stream
// their own progress, and a user can repeat any command printed here by hand. The classic builder
// (DOCKER_BUILDKIT=0): some clients ship without buildx, and the classic one needs nothing else.

export const DOCKER_ENV = { DOCKER_BUILDKIT: '0' } as const;

export interface ImageInfo {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly created: string;
  readonly size: number;
}

export async function docker(args: readonly string[], options: Options = {}) {
  return execa('docker', args, { env: DOCKER_ENV, reject: false, ...options });
}

/** The image, or undefined when the engine has no image by that reference. Never pulls. */
export async function inspectImage(ref: string): Promise<ImageInfo | undefined> {
  const result = await docker(['image', 'inspect', '--format', '{{json .}}', ref]);
  if (result.exitCode !== 0) {
    if (/no such image/i.test(String(result.stderr))) return undefined;
    throw engineFailure(`docker image inspect ${ref}`, result);
  }
  return toImageInfo(JSON.parse(String(result.stdout)) as RawImage);
}

interface RawImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created: string;
  Size: number;
  Config?: { Labels?: Record<string, string> | null } | null;
}

function toImageInfo(raw: RawImage): ImageInfo {
  return {
    id: raw.Id,
    repoTags: raw.RepoTags ?? [],
    repoDigests: raw.RepoDigests ?? [],
    labels: raw.Config?.Labels ?? {},
    created: raw.Created,
    size: raw.Size,
  };
}

/** Every local image carrying `label` (any value), newest first. */
export async function imagesWithLabel(label: string): Promise<ImageInfo[]> {
  const ids = await docker(['image', 'ls', '--quiet', '--no-trunc', '--filter', `label=${label}`]);
  if (ids.exitCode !== 0) throw engineFailure('docker image ls', ids);
  const unique = [...new Set(String(ids.stdout).split('\n').filter(Boolean))];
  if (unique.length === 0) return [];
  const result = await docker(['image', 'inspect', '--format', '{{json .}}', ...unique]);
  if (result.exitCode !== 0) throw engineFailure('docker image inspect', result);
  return String(result.stdout)
    .split('\n')
    .filter(Boolean)
    .map((line) => toImageInfo(JSON.parse(line) as RawImage))
    .sort((a, b) => b.created.localeCompare(a.created));
}

/** Local images whose repository is `repository` (e.g. mongo), whatever their labels. */
export async function imagesOfRepository(repository: string): Promise<string[]> {
  const result = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository]);
  if (result.exitCode !== 0) return [];
  return String(result.stdout).split('\n').filter((line) => line && !line.endsWith(':<none>'));
}

/** No client, or no engine behind it: a typed one-line error saying how to get one. */
function engineFailure(what: string, result: { stderr?: unknown; shortMessage?: string; message?: string }): EngineUnavailableError {
  const reason = (String(result.stderr ?? '').trim() || result.shortMessage || result.message || 'failed').split('\n')[0];
  return new EngineUnavailableError(`${what}: ${reason}; is a Docker engine running? (\`bash .ci/setup\` installs and starts one on Debian as root)`);
}

/** Undefined when an engine answers; otherwise why not, in one line. */
export async function engineProblem(): Promise<string | undefined> {
  try {
    const result = await docker(['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 });
    if (result.exitCode === 0 && String(result.stdout).trim() !== '') return undefined;
    return String(result.stderr).trim().split('\n').pop() || 'docker info failed';
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}
