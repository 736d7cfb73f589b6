import { pieces, type Block, type RichText } from '../../rich-text.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlTable } from './html-table.ts';

// report.html's side of ../../rich-text.ts: the same paragraphs and tables report.md renders,
// every piece escaped by `html`, names and our own words alike.

export function htmlRich(text: RichText): SafeHtml {
  return html`${pieces(text).map((piece) => {
    if (typeof piece === 'string') return piece;
    if ('name' in piece) return piece.name;
    if ('code' in piece) return html`<code>${piece.code}</code>`;
    return html`<strong>${piece.strong}</strong>`;
  })}`;
}

export function htmlBlocks(blocks: readonly Block[]): SafeHtml {
  return html`${blocks.map((block) =>
    block.kind === 'paragraph' ? html`<p>${htmlRich(block.text)}</p>\n` : html`${htmlTable(block.header, block.rows.map((row) => row.map(htmlRich)), block.align, block.name)}\n`,
  )}`;
}
