import { docker, type ImageInfo, inspectImage } from '../../../../harness/containers/docker-cli.ts';
import { ImageMissingError } from '../../../../harness/containers/image-errors.ts';
import { PG_MAJOR, projectImageTag } from './pg-image-inputs.ts';

// Which PostgreSQL image a containers run uses, checked to be on this machine before any container
// starts. Called by the containers provider:
//   resolvePgImage({ image?, version?, pull? }) -> { ref, id, digest?, project }
// With no image named: faultline's own image for the current inputs (faultline/postgres:15-<hash>,
// built by `faultline images build`). The registry is contacted only when `pull` asks for it:
//   never (default)  use the local image; missing -> ImageMissingError
//   missing          pull only when the image is not here
//   always           pull every time (a scenario that wants the registry's latest)
// The project's own image is never in any registry, so for it `pull` cannot help: missing means
// build it. ImageMissingError carries one line naming the command to run; the CLI exits 2 with it.

export const PULL_POLICIES = ['never', 'missing', 'always'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export const BUILD_COMMAND = 'npx faultline images build';

export interface ImageRequest {
  /** An image reference (name or name:tag); absent = the project image. */
  readonly image?: string | undefined;
  /** Tag appended when `image` has none; default 15 (so `image: postgres` means postgres:15). */
  readonly version?: string | undefined;
  readonly pull?: PullPolicy | undefined;
}

export interface ResolvedImage {
  /** What to hand to docker / testcontainers. */
  readonly ref: string;
  /** The local image id (sha256:…), the same for every container of the run. */
  readonly id: string;
  /** The registry digest (name@sha256:…) when the image came from one; locally built images have none. */
  readonly digest?: string;
  readonly project: boolean;
}

/** name[:tag] with `version` as the tag when the name has none (a registry port is not a tag). */
export function imageReference(image: string, version: string | undefined): string {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  if (lastSegment.includes(':') || image.includes('@')) return image;
  return `${image}:${version ?? PG_MAJOR}`;
}

/** The engine calls the resolver makes; a unit test passes its own. */
export interface ImageEngine {
  inspect(ref: string): Promise<ImageInfo | undefined>;
  /** Undefined on success, else the registry's complaint (one line). */
  pull(ref: string): Promise<string | undefined>;
}

const dockerEngine: ImageEngine = {
  inspect: inspectImage,
  pull: async (ref) => {
    const pulled = await docker(['pull', '--quiet', ref]);
    if (pulled.exitCode === 0) return undefined;
    return String(pulled.stderr || pulled.message).trim().split('\n').pop() ?? 'docker pull failed';
  },
};

export async function resolvePgImage(request: ImageRequest = {}, engine: ImageEngine = dockerEngine): Promise<ResolvedImage> {
  const pull = request.pull ?? 'never';
  if (request.image === undefined) {
    const ref = projectImageTag();
    const found = await engine.inspect(ref);
    if (!found) {
      throw new ImageMissingError(ref, `the PostgreSQL image ${ref} is not built on this machine: run \`${BUILD_COMMAND}\` (about 2-4 minutes the first time)`);
    }
    return { ref, id: found.id, project: true };
  }
  const ref = imageReference(request.image, request.version);
  let found = pull === 'always' ? undefined : await engine.inspect(ref);
  if (!found) {
    if (pull === 'never') {
      throw new ImageMissingError(
        ref,
        `image ${ref} (provider.image) is not on this machine and provider.pull is never: run \`docker pull ${ref}\` where a registry is reachable, set provider.pull: missing, or remove provider.image to use faultline's own image (\`${BUILD_COMMAND}\`)`,
      );
    }
    const refused = await engine.pull(ref);
    if (refused !== undefined) throw new ImageMissingError(ref, `could not pull ${ref} (provider.pull is ${pull}): ${refused}`);
    found = await engine.inspect(ref);
    if (!found) throw new ImageMissingError(ref, `docker pull ${ref} succeeded but the image is not there`);
  }
  const digest = found.repoDigests[0];
  return { ref, id: found.id, ...(digest ? { digest } : {}), project: false };
}
