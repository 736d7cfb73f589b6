import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Which Debian mirror debootstrap should use: the one this machine's apt already uses (so a
// machine behind a mirror or a snapshot keeps using it), FAULTLINE_DEBIAN_MIRROR when set, else
// deb.debian.org. Reads both apt formats: deb822 *.sources and one-line *.list.

export const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

export interface AptSource {
  readonly uri: string;
  readonly suites: readonly string[];
}

/** Parses deb822 stanzas (`URIs:` / `Suites:`) and `deb URI SUITE COMPONENTS` lines. */
export function parseAptSources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (m?.[1] && m[2]) sources.push({ uri: m[1], suites: [m[2]] });
  }
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] => {
      const m = new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(stanza);
      return m?.[1] ? m[1].trim().split(/\s+/) : [];
    };
    const types = field('Types');
    if (types.length > 0 && !types.includes('deb')) continue;
    for (const uri of field('URIs')) sources.push({ uri, suites: field('Suites') });
  }
  return sources;
}

/** The first source carrying `release` itself (not -updates or -security). */
export function pickMirror(sources: readonly AptSource[], release: string): string | undefined {
  return sources.find((s) => s.suites.includes(release))?.uri.replace(/\/+$/, '');
}

export function debianMirror(release: string, env: NodeJS.ProcessEnv = process.env, aptDir = '/etc/apt'): string {
  if (env.FAULTLINE_DEBIAN_MIRROR) return env.FAULTLINE_DEBIAN_MIRROR;
  const texts: string[] = [];
  const read = (path: string): void => {
    try {
      texts.push(readFileSync(path, 'utf8'));
    } catch {
      // absent file: nothing configured there
    }
  };
  read(join(aptDir, 'sources.list'));
  try {
    for (const name of readdirSync(join(aptDir, 'sources.list.d')).sort()) {
      if (name.endsWith('.sources') || name.endsWith('.list')) read(join(aptDir, 'sources.list.d', name));
    }
  } catch {
    // no sources.list.d
  }
  return pickMirror(texts.flatMap(parseAptSources), release) ?? DEFAULT_MIRROR;
}
