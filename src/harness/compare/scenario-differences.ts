import { formatPath, type PathSegment } from '../scenario/dotted-path.ts';
import type { FieldDifference } from './comparison-types.ts';

// What the runs vary in, read from each run's resolved scenario (defaults filled in), so a field
// left out in one file and written with its default value in another is not a difference. Paths
// are spelled as for --set and matrix keys, so a difference can be pasted back into either.

/** Fields whose values differ between scenarios, in the order they first appear. */
export function scenarioDifferences(scenarios: readonly unknown[]): FieldDifference[] {
  const flat = scenarios.map((scenario) => flatten(scenario));
  const paths = [...new Set(flat.flatMap((fields) => [...fields.keys()]))];
  return paths.flatMap((path) => {
    const values = flat.map((fields) => (fields.has(path) ? fields.get(path) : null));
    const texts = new Set(values.map((value) => JSON.stringify(value)));
    return texts.size > 1 ? [{ path, values }] : [];
  });
}

/** Leaf path → value. Lists of plain values are one leaf ("checks"); lists of mappings are walked ("faults[0].at"). */
export function flatten(value: unknown, path: readonly PathSegment[] = [], into = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value) && value.some(isMapping)) {
    value.forEach((item: unknown, i) => {
      flatten(item, [...path, i], into);
    });
  } else if (isMapping(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, [...path, key], into);
  } else if (path.length > 0) {
    into.set(formatPath(path), value ?? null);
  }
  return into;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
