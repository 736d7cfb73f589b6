import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { HistoryEvent } from './history-types.ts';

// The history is read back line by line, never as a whole: a long run writes millions of events
// and a checker only needs the state it keeps, not the file.
//
// A harness killed mid-write leaves a partial last line (the writer appends batches). That line is
// skipped: the events before it are intact, and the operation it described is just unfinished,
// which checkers already treat as an unknown outcome. A broken line followed by more lines is not
// a truncation but a corrupt file, and is an error.

const EVENT_TYPES: ReadonlySet<string> = new Set([
  'invoke',
  'ok',
  'fail',
  'info',
  'phase',
  'fault',
  'failover',
  'lag',
  'roles',
] satisfies HistoryEvent['type'][]);

export class HistoryFormatError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
  ) {
    super(`${path}:${line}: not a history event (and not the last line, so not a truncated write)`);
    this.name = 'HistoryFormatError';
  }
}

export interface ReadHistoryOptions {
  /** Told about a skipped truncated last line, so a report can mention it. */
  readonly onTruncatedLine?: (line: number) => void;
}

type ParsedLine = { readonly event: HistoryEvent } | { readonly skip: true } | undefined;

/** undefined: not an event at all. skip: a well-formed event of a type this version does not know. */
/** The event when `text` is a JSON object with a string type and a numeric time (the envelope). */
export function parseEventEnvelope(text: string): HistoryEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, time } = value as { type?: unknown; time?: unknown };
  return typeof type === 'string' && typeof time === 'number' ? (value as HistoryEvent) : undefined;
}

function parseLine(text: string): ParsedLine {
  const value = parseEventEnvelope(text);
  if (value === undefined) return undefined;
  const { type } = value;
  // Newer writers may add event types; older checkers ignore them rather than fail the run.
  if (!EVENT_TYPES.has(type)) return { skip: true };
  // The envelope is checked; the fields of each type are the writer's contract, and each checker
  // validates the values it actually uses.
  return { event: value };
}

export async function* readHistory(path: string, options: ReadHistoryOptions = {}): AsyncGenerator<HistoryEvent> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let broken: number | undefined;
  try {
    for await (const text of lines) {
      lineNumber++;
      if (text.trim() === '') continue;
      if (broken !== undefined) throw new HistoryFormatError(path, broken);
      const parsed = parseLine(text);
      if (parsed === undefined) broken = lineNumber;
      else if ('event' in parsed) yield parsed.event;
    }
    if (broken !== undefined) options.onTruncatedLine?.(broken);
  } finally {
    lines.close();
    input.destroy();
  }
}
