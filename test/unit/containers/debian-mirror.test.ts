import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIRROR, debianMirror, parseAptSources, pickMirror } from '../../../src/topologies/postgres/containers/image/debian-mirror.ts';
import { scratchDirSync } from '../../support/scratch-dir.ts';

const DEB822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
`;

describe('the Debian mirror debootstrap uses', () => {
  it('is the one apt already uses for the release itself (deb822), not -security or a third-party repo', () => {
    const sources = [...parseAptSources('deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n'), ...parseAptSources(DEB822)];
    expect(pickMirror(sources, 'bookworm')).toBe('http://deb.debian.org/debian');
  });

  it('reads one-line sources too, options and all', () => {
    const sources = parseAptSources('deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main\n');
    expect(pickMirror(sources, 'bookworm')).toBe('http://mirror.example/debian');
  });

  it('skips deb-src stanzas', () => {
    expect(pickMirror(parseAptSources('Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n'), 'bookworm')).toBeUndefined();
  });

  it('reads /etc/apt, lets FAULTLINE_DEBIAN_MIRROR override it, and falls back to deb.debian.org', () => {
    const apt = scratchDirSync('apt');
    expect(debianMirror('bookworm', {}, apt)).toBe(DEFAULT_MIRROR);
    mkdirSync(join(apt, 'sources.list.d'));
    writeFileSync(join(apt, 'sources.list.d', 'debian.sources'), DEB822.replace('deb.debian.org/debian\n', 'mirror.local/debian\n'));
    expect(debianMirror('bookworm', {}, apt)).toBe('http://mirror.local/debian');
    expect(debianMirror('bookworm', { FAULTLINE_DEBIAN_MIRROR: 'http://other/debian' }, apt)).toBe('http://other/debian');
  });
});
