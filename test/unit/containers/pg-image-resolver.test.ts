import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/harness/output/exit-codes.ts';
import type { ImageInfo } from '../../../src/harness/containers/docker-cli.ts';
import { ImageMissingError } from '../../../src/harness/containers/image-errors.ts';
import { projectImageTag } from '../../../src/topologies/postgres/containers/image/pg-image-inputs.ts';
import { type ImageEngine, imageReference, resolvePgImage } from '../../../src/topologies/postgres/containers/image/resolve-pg-image.ts';

// A stand-in engine (unit test only): which images it has, and a record of every pull asked of it.
function engine(local: string[], registry: string[] = []): ImageEngine & { pulls: string[] } {
  const have = new Set(local);
  const pulls: string[] = [];
  const info = (ref: string): ImageInfo => ({ id: `sha256:${ref.length}`, repoTags: [ref], repoDigests: registry.includes(ref) ? [`${ref.split(':')[0]}@sha256:abc`] : [], labels: {}, created: '', size: 1 });
  return {
    pulls,
    inspect: async (ref) => (have.has(ref) ? info(ref) : undefined),
    pull: async (ref) => {
      pulls.push(ref);
      if (!registry.includes(ref)) return 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host';
      have.add(ref);
      return undefined;
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<ImageMissingError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImageMissingError);
  return error as ImageMissingError;
}

describe('resolvePgImage', () => {
  it('uses the project image for the current inputs when none is named, without pulling', async () => {
    const docker = engine([projectImageTag()]);
    await expect(resolvePgImage({}, docker)).resolves.toMatchObject({ ref: projectImageTag(), project: true });
    expect(docker.pulls).toEqual([]);
  });

  it('names the build command in one line when the project image is not built, whatever the pull policy', async () => {
    for (const pull of ['never', 'missing', 'always'] as const) {
      const docker = engine([]);
      const error = await failure(resolvePgImage({ pull }, docker));
      expect(error.message).toContain('npx faultline images build');
      expect(error.message).toContain(projectImageTag());
      expect(error.message).not.toContain('\n');
      expect(docker.pulls).toEqual([]);
    }
  });

  it('never pulls a named image by default: a missing one is an error naming docker pull and provider.pull', async () => {
    const docker = engine([], ['postgres:15']);
    const error = await failure(resolvePgImage({ image: 'postgres' }, docker));
    expect(error.message).toMatch(/postgres:15.*provider\.pull is never.*docker pull postgres:15/);
    expect(error.message).not.toContain('\n');
    expect(docker.pulls).toEqual([]);
  });

  it('pulls only when asked: missing pulls an absent image once, and keeps a present one', async () => {
    const docker = engine(['my/pg:15'], ['postgres:16']);
    await expect(resolvePgImage({ image: 'my/pg', pull: 'missing' }, docker)).resolves.toMatchObject({ ref: 'my/pg:15', project: false });
    expect(docker.pulls).toEqual([]);
    await expect(resolvePgImage({ image: 'postgres', version: '16', pull: 'missing' }, docker)).resolves.toMatchObject({ digest: 'postgres@sha256:abc' });
    expect(docker.pulls).toEqual(['postgres:16']);
  });

  it('always pulls with always, and reports a registry that cannot be reached in one line', async () => {
    const docker = engine(['postgres:15']);
    const error = await failure(resolvePgImage({ image: 'postgres:15', pull: 'always' }, docker));
    expect(docker.pulls).toEqual(['postgres:15']);
    expect(error.message).toMatch(/^could not pull postgres:15 \(provider\.pull is always\): .*no such host$/);
  });

  it('is mapped by the CLI to exit 2 and one line, no stack trace', async () => {
    const error = await failure(resolvePgImage({}, engine([])));
    const shown = describeFailure(error, false);
    expect(shown.code).toBe(2);
    expect(shown.lines).toHaveLength(1);
    expect(shown.lines[0]).toMatch(/^faultline: the PostgreSQL image .* is not built on this machine: run `npx faultline images build`/);
  });
});

describe('imageReference', () => {
  it('appends the version (default 15) only when the name has no tag or digest', () => {
    expect(imageReference('postgres', undefined)).toBe('postgres:15');
    expect(imageReference('postgres', '16')).toBe('postgres:16');
    expect(imageReference('postgres:14', '16')).toBe('postgres:14');
    expect(imageReference('registry.local:5000/pg', undefined)).toBe('registry.local:5000/pg:15');
    expect(imageReference('postgres@sha256:abc', undefined)).toBe('postgres@sha256:abc');
  });
});
