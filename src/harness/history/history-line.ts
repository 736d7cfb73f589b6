import type { CompletionEvent, HistoryEvent, InvokeEvent } from './history-types.ts';
import { NO_SERIALIZERS, type ValueSerializers } from './value-serializers.ts';

// Invokes and completions are written once per operation, on the load driver's hot path.
// Building their lines by hand is several times faster than JSON.stringify of the whole event
// (bench/recording-cost.ts); only the free-form value still goes through JSON.stringify. Names
// (node, error class) are quoted with JSON.stringify only when they need escaping; operation names
// are a fixed set of plain words.
const PLAIN = /^[\w.:>+-]*$/;
const seen = new Map<string, string>();
/** Node names and error classes repeat endlessly: each is checked and quoted once. */
function str(text: string): string {
  let quoted = seen.get(text);
  if (quoted === undefined) {
    quoted = PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
    if (seen.size < 10_000) seen.set(text, quoted);
  }
  return quoted;
}

function invokeLine(e: InvokeEvent, serializers: ValueSerializers): string {
  const intended = e.intended === undefined ? '' : `,"intended":${e.intended}`;
  const value = e.value === undefined ? '' : `,"value":${(serializers.invoke[e.f] ?? JSON.stringify)(e.value)}`;
  return `{"type":"invoke","id":${e.id},"f":"${e.f}","worker":${e.worker},"node":${str(e.node)},"time":${e.time}${intended}${value}}`;
}

function completionLine(e: CompletionEvent, serializers: ValueSerializers): string {
  const error = e.error === undefined ? '' : `,"error":${str(e.error)}`;
  const serialize = (e.type === 'ok' ? serializers.ok[e.f] : undefined) ?? JSON.stringify;
  const value = e.value === undefined ? '' : `,"value":${serialize(e.value)}`;
  return `{"type":"${e.type}","id":${e.id},"f":"${e.f}","worker":${e.worker},"node":${str(e.node)},"time":${e.time},"latency":${e.latency}${error}${value}}`;
}

export function historyLine(event: HistoryEvent, serializers: ValueSerializers = NO_SERIALIZERS): string {
  switch (event.type) {
    case 'invoke':
      return invokeLine(event, serializers);
    case 'ok':
    case 'fail':
    case 'info':
      return completionLine(event, serializers);
    default:
      return JSON.stringify(event);
  }
}
