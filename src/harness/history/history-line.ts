import type { CompletionEvent, HistoryEvent, InvokeEvent } from './history-types.ts';

// One event as its history.jsonl line, from the event object. HistoryWriter does not call this:
// the driver's thread encodes binary records and the history thread prints the very same layout
// from them (history-decoder.mjs; test/unit/history checks the two agree byte for byte). Tests
// and synthetic histories write lines with this. An operation's line is built by hand, field for
// field the JSON of the event; names are quoted with JSON.stringify only when they need escaping.

const PLAIN = /^[\w.:>+-]*$/;

function quoteName(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

function valuePart(value: unknown): string {
  return value === undefined ? '' : `,"value":${JSON.stringify(value)}`;
}

function invokeLine(e: InvokeEvent): string {
  const intended = e.intended === undefined ? '' : `,"intended":${e.intended}`;
  return `{"type":"invoke","id":${e.id},"f":${quoteName(e.f)},"worker":${e.worker},"node":${quoteName(e.node)},"time":${e.time}${intended}${valuePart(e.value)}}`;
}

function completionLine(e: CompletionEvent): string {
  const error = e.error === undefined ? '' : `,"error":${quoteName(e.error)}`;
  return `{"type":"${e.type}","id":${e.id},"f":${quoteName(e.f)},"worker":${e.worker},"node":${quoteName(e.node)},"time":${e.time},"latency":${e.latency}${error}${valuePart(e.value)}}`;
}

export function historyLine(event: HistoryEvent): string {
  switch (event.type) {
    case 'invoke':
      return invokeLine(event);
    case 'ok':
    case 'fail':
    case 'info':
      return completionLine(event);
    default:
      return JSON.stringify(event);
  }
}
