// One spelling of field paths for messages and for --set, so a path printed in an error can be
// pasted straight back into `--set <path>=<value>`.

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** ["workload", "loop", "rate"] → "workload.loop.rate"; indices become "[0]". */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'symbol') text += `[${String(segment)}]`;
    else if (PLAIN_KEY.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

// After the first segment a key is ".name"; indices and quoted keys use brackets. The first key
// has no dot, so it gets one prepended and a single pattern covers every segment.
const SEGMENT = /\.([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** The inverse of formatPath; undefined when the text is not a well-formed path. */
export function parsePath(text: string): PathSegment[] | undefined {
  const normalized = text.startsWith('[') ? text : `.${text}`;
  const path: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < normalized.length) {
    const match = SEGMENT.exec(normalized);
    const segment = match ? toSegment(match) : undefined;
    if (segment === undefined) return undefined;
    path.push(segment);
  }
  return path.length > 0 ? path : undefined;
}

function toSegment(match: RegExpExecArray): PathSegment | undefined {
  if (match[1] !== undefined) return match[1];
  if (match[2] !== undefined) return Number(match[2]);
  try {
    return JSON.parse(match[3]!) as string;
  } catch {
    return undefined;
  }
}

/** True when `prefix` is `path` or one of its ancestors. */
export function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}
