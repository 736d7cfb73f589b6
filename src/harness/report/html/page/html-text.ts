import { html, type SafeHtml } from './html-escape.ts';

// Free text from scenarios and checkers (descriptions, explanations) laid out as report.md lays
// it out, and names turned into fragment ids that cannot break out of an attribute.

/** Blank lines separate paragraphs; other line breaks are folded, as in report.md. */
export function paragraphs(text: string): SafeHtml {
  const parts = text
    .split(/\r?\n\s*\r?\n/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part.length > 0);
  return html`${parts.map((part) => html`<p>${part}</p>`)}`;
}

/** A fragment id from a check name: only [a-z0-9-], whatever the name holds. */
export function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}
