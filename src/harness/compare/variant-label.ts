import { formatPath, type PathSegment } from '../scenario/dotted-path.ts';

// How a variant is named: by the values it was given, so a folder or a column heading says what
// is different about it without opening anything ("replication=sync,order-history.readFrom=replicas").

// These sections hold nearly every field, so their name adds length without telling variants apart.
const SECTIONS = new Set(['topology', 'workload']);
const GROUPS = new Set(['operations']);

/** topology.replication → replication; workload.operations.checkout.weight → checkout.weight. */
export function shortPath(path: readonly PathSegment[]): string {
  let rest = path;
  if (rest.length > 1 && typeof rest[0] === 'string' && SECTIONS.has(rest[0])) rest = rest.slice(1);
  if (rest.length > 1 && typeof rest[0] === 'string' && GROUPS.has(rest[0])) rest = rest.slice(1);
  return formatPath(rest);
}

/** Short names for every dimension; the full path wherever shortening would make two alike. */
export function shortPaths(paths: readonly (readonly PathSegment[])[]): string[] {
  const short = paths.map(shortPath);
  return short.map((name, i) => (short.indexOf(name) === short.lastIndexOf(name) ? name : formatPath(paths[i]!)));
}

/** A value as it reads in a label: strings bare, everything else as compact JSON (which YAML reads back). */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

export function variantLabel(names: readonly string[], values: readonly unknown[]): string {
  return names.map((name, i) => `${name}=${formatValue(values[i])}`).join(',');
}

// Folder names: what every filesystem and shell accepts without quoting, bounded in length.
const UNSAFE = /[^A-Za-z0-9._,=+-]+/g;
const MAX_SLUG = 100;

/** Folder names for labels, in order: the label made safe, unique among the siblings. */
export function variantSlugs(labels: readonly string[]): string[] {
  const taken = new Set<string>();
  return labels.map((label) => {
    const base = label.replace(UNSAFE, '_').replace(/^[._]+/, '').slice(0, MAX_SLUG) || 'variant';
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}~${n}`;
    taken.add(slug);
    return slug;
  });
}
