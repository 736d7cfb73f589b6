import { describe, expect, it } from 'vitest';
import {
  type ImageInputs,
  inputsHash,
  packageList,
  projectImageTag,
  readImageInputs,
  rootfsKey,
  rootfsTag,
} from '../../../src/topologies/postgres/containers/image/pg-image-inputs.ts';

const MIRROR = 'http://deb.debian.org/debian';
const inputs = readImageInputs();

function edit(file: keyof ImageInputs['files'], text: string): ImageInputs {
  return { ...inputs, files: { ...inputs.files, [file]: text } };
}

describe('the project image tag', () => {
  it('is faultline/postgres:15-<12 hex> and the same for the same inputs', () => {
    expect(projectImageTag(inputs)).toMatch(/^faultline\/postgres:15-[0-9a-f]{12}$/);
    expect(projectImageTag(readImageInputs())).toBe(projectImageTag(inputs));
    expect(projectImageTag()).toBe(projectImageTag(inputs));
  });

  it('changes when the Dockerfile, the entrypoint, the package list or the release changes', () => {
    const tag = projectImageTag(inputs);
    expect(projectImageTag(edit('Dockerfile', `${inputs.files.Dockerfile}\nLABEL x=y\n`))).not.toBe(tag);
    expect(projectImageTag(edit('docker-entrypoint.sh', `${inputs.files['docker-entrypoint.sh']}\n# changed\n`))).not.toBe(tag);
    expect(projectImageTag(edit('packages.txt', `${inputs.files['packages.txt']}\ncurl\n`))).not.toBe(tag);
    expect(projectImageTag({ ...inputs, release: 'trixie' })).not.toBe(tag);
  });

  it('ignores comments and blank lines in the package list (they change nothing in the image)', () => {
    const commented = edit('packages.txt', `# a note\n\n${inputs.files['packages.txt']}\n\n`);
    expect(packageList(commented)).toEqual(packageList(inputs));
    expect(projectImageTag(commented)).toBe(projectImageTag(inputs));
  });

  it('tells a build FROM the official image apart from the debootstrap one', () => {
    expect(projectImageTag(inputs, 'official')).toMatch(/^faultline\/postgres:15-official-[0-9a-f]{12}$/);
    expect(inputsHash(inputs, 'official')).not.toBe(inputsHash(inputs, 'debian'));
  });

  it('lists the packages the image contract needs', () => {
    expect(packageList(inputs)).toEqual(
      expect.arrayContaining(['postgresql-15', 'postgresql-15-pglogical', 'postgresql-15-plproxy', 'gosu', 'iproute2', 'iptables', 'nftables']),
    );
  });
});

describe('the cached rootfs key', () => {
  it('does not change with the Dockerfile or the entrypoint, so editing them reuses the rootfs', () => {
    const key = rootfsKey(inputs, MIRROR);
    expect(key).toMatch(/^bookworm-[0-9a-f]{12}$/);
    expect(rootfsKey(edit('Dockerfile', 'FROM scratch\n'), MIRROR)).toBe(key);
    expect(rootfsKey(edit('docker-entrypoint.sh', 'exec "$@"\n'), MIRROR)).toBe(key);
    expect(rootfsTag(key)).toBe(`faultline/rootfs:${key}`);
  });

  it('changes with the packages and with the mirror they come from', () => {
    const key = rootfsKey(inputs, MIRROR);
    expect(rootfsKey(edit('packages.txt', 'postgresql-15\n'), MIRROR)).not.toBe(key);
    expect(rootfsKey(inputs, 'http://mirror.example/debian')).not.toBe(key);
  });
});
