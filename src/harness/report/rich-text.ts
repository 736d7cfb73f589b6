import { mdCode, mdTable, mdText, type Align } from './markdown.ts';

// A section's figures as a sequence of paragraphs and tables that report.md and report.html both
// render, so the two cannot drift apart: the figures module decides every word and cell, each
// renderer only decides the markup. Plain strings are ours (fixed words and formatted numbers)
// and go into report.md verbatim; anything that comes from a scenario or a database is a `name`
// and is escaped by each renderer its own way. Never put a name in a plain string.

export type Rich = string | { readonly name: string } | { readonly code: string } | { readonly strong: string };
/** One piece or a run of pieces: a sentence, or a table cell. */
export type RichText = Rich | readonly Rich[];

export type Block =
  | { readonly kind: 'paragraph'; readonly text: RichText }
  | {
      readonly kind: 'table';
      readonly header: readonly string[];
      readonly align: readonly Align[];
      readonly rows: readonly (readonly RichText[])[];
      /** report.html's class for the table. */
      readonly name: string;
    };

export const name = (text: string): Rich => ({ name: text });

/** Names joined by our own separator. */
export function names(list: readonly string[], separator = ', '): Rich[] {
  return list.flatMap((item, index) => (index === 0 ? [name(item)] : [separator, name(item)]));
}

/** Runs of pieces joined by our own separator. */
export function joinRich(parts: readonly RichText[], separator: string): Rich[] {
  return parts.flatMap((part, index) => [...(index === 0 ? [] : [separator]), ...pieces(part)]);
}

export function pieces(text: RichText): readonly Rich[] {
  return Array.isArray(text) ? (text as readonly Rich[]) : [text as Rich];
}

export function mdRich(text: RichText): string {
  return pieces(text)
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      if ('name' in piece) return mdText(piece.name);
      if ('code' in piece) return mdCode(piece.code);
      return `**${piece.strong}**`;
    })
    .join('');
}

export function mdBlocks(blocks: readonly Block[]): string[] {
  return blocks.map((block) =>
    block.kind === 'paragraph' ? mdRich(block.text) : mdTable(block.header, block.rows.map((row) => row.map(mdRich)), block.align),
  );
}
