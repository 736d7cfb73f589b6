import type { Block, Inline, SectionSource } from '../../section-figures.ts';
import { html, joinHtml, type SafeHtml } from './html-escape.ts';
import { htmlTable } from './html-table.ts';

// report.html's walker over a section's figures (../../section-figures.ts): a <section> with the
// figures' id, its title as <h2>, then each block; every string is escaped by the `html` tag.

function inline(parts: readonly Inline[]): SafeHtml {
  return joinHtml(parts.map((part) => (typeof part === 'string' ? html`${part}` : 'strong' in part ? html`<strong>${part.strong}</strong>` : html`<code>${part.code}</code>`)));
}

function block(b: Block): SafeHtml {
  if (b.kind === 'paragraph') return html`<p>${inline(b.text)}</p>\n`;
  if (b.kind === 'caption') return html`<h3>${inline(b.text)}</h3>`;
  return htmlTable(b.header, b.rows, b.align, b.name);
}

/** The section in report.html, or nothing when the run has none. */
export function sectionHtml(source: SectionSource): (results: Parameters<SectionSource>[0]) => SafeHtml {
  return (results) => {
    const figures = source(results);
    if (!figures) return html``;
    return html`<section id="${figures.id}"><h2>${figures.title}</h2>\n${joinHtml(figures.blocks.map(block))}</section>`;
  };
}
