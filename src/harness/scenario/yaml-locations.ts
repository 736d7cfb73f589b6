import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

// Maps a field path back to where it was written, so problems point at a line an editor can jump
// to. Locations are best effort: a missing key points at its parent's key, nodes created by
// --set have no location at all.

export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

export type LocateTarget = 'key' | 'value';

export function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  target: LocateTarget = 'value',
): SourceLocation | undefined {
  let node: unknown = doc.contents;
  let key: unknown;
  // Where to point if the walk stops early: the key of the deepest mapping entry reached.
  let fallback: unknown;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return at(lines, fallback);
      key = pair.key;
      node = pair.value;
      fallback = key;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      key = undefined;
      node = node.items[segment];
      fallback = node ?? fallback;
    } else {
      return at(lines, fallback);
    }
  }
  const preferred = target === 'key' ? (key ?? node) : (node ?? key);
  return at(lines, hasRange(preferred) ? preferred : key);
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function hasRange(node: unknown): boolean {
  return isNode(node) && Boolean(node.range);
}

function at(lines: LineCounter, node: unknown): SourceLocation | undefined {
  if (!isNode(node) || !node.range) return undefined;
  const { line, col } = lines.linePos(node.range[0]);
  return { line, column: col };
}
