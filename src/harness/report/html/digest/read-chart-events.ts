import { createReadStream } from 'node:fs';
import { parseEventEnvelope } from '../../../history/history-reader.ts';
import type { HistoryEvent } from '../../../history/history-types.ts';

// Charts need a few numbers per event (type, operation, time, latency), never the operation's
// value, and never the invokes (a completion carries its latency, so its start is time - latency).
// history.jsonl is large (hundreds of MB for a long run): this reader skips invoke lines without
// parsing them and parses completions only up to their value, which is several times cheaper than
// readHistory's full parse. Lines it cannot read are counted and skipped: a report shows what it
// can of a damaged history rather than nothing.

const INVOKE_PREFIX = '{"type":"invoke"';
// Inside a JSON string a quote is always escaped, so this sequence only occurs between members.
const VALUE_MEMBER = ',"value":';

export interface ReadStats {
  lines: number;
  skipped: number;
}

function parseEvent(line: string): HistoryEvent | undefined {
  const cut = line.indexOf(VALUE_MEMBER);
  if (cut === -1) return parseEventEnvelope(line);
  // A `value` nested below the top level leaves the cut text unbalanced: then read the whole line.
  // (Members written after the value are lost by the cut; each collector checks the fields it uses.)
  return parseEventEnvelope(`${line.slice(0, cut)}}`) ?? parseEventEnvelope(line);
}


/**
 * Calls `visit` for every event of the history except invokes (whose `value` is dropped from
 * completions too). Streams in large chunks: memory is one chunk plus one line.
 */
export async function readChartEvents(path: string, visit: (event: HistoryEvent) => void): Promise<ReadStats> {
  const stats: ReadStats = { lines: 0, skipped: 0 };
  const take = (line: string) => {
    if (line.length === 0) return;
    stats.lines++;
    if (line.startsWith(INVOKE_PREFIX)) return;
    const event = parseEvent(line);
    if (event === undefined) stats.skipped++;
    else visit(event);
  };
  let rest = '';
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      take(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  take(rest);
  return stats;
}
