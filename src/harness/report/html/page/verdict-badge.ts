import { html, type SafeHtml } from './html-escape.ts';

// Verdicts read at a glance: VALID green, INVALID red, UNKNOWN grey, the same words as report.md.

const KNOWN = new Set(['valid', 'invalid', 'unknown']);

export function verdictBadge(verdict: string): SafeHtml {
  const kind = KNOWN.has(verdict) ? verdict : 'unknown';
  return html`<span class="badge badge-${kind}">${verdict.toUpperCase()}</span>`;
}
