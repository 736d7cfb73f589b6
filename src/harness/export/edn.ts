// Just enough EDN (Clojure's data notation, what Jepsen and Elle read) to write a history:
// keywords, integers, strings, nil, vectors and maps, each operation a map on its own line.
// A dependency would be larger than this, and the values written here never need more.

/** An EDN keyword such as :invoke; distinct from a string, which EDN prints quoted. */
export class Keyword {
  constructor(readonly name: string) {}
}

export const kw = (name: string): Keyword => new Keyword(name);

export type EdnValue = Keyword | number | string | null | readonly EdnValue[] | ReadonlyMap<Keyword, EdnValue>;

export function toEdn(value: EdnValue): string {
  if (value === null) return 'nil';
  if (value instanceof Keyword) return `:${value.name}`;
  if (typeof value === 'number') {
    // EDN integers and Elle's list elements and keys: a fraction or NaN here is a bug upstream.
    if (!Number.isSafeInteger(value)) throw new Error(`EDN export: ${value} is not an integer`);
    return String(value);
  }
  // JSON's escapes for the ASCII values written here (node names, error classes) are EDN's too.
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Map) {
    return `{${[...value].map(([key, item]) => `${toEdn(key)} ${toEdn(item)}`).join(', ')}}`;
  }
  return `[${(value as readonly EdnValue[]).map(toEdn).join(' ')}]`;
}

/** A map whose keys are keywords, written in the order given (Jepsen's: :type first). */
export function ednMap(entries: Readonly<Record<string, EdnValue | undefined>>): string {
  const map = new Map<Keyword, EdnValue>();
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) map.set(kw(key), value);
  return toEdn(map);
}
