import { mdCode, mdTable, mdText } from './markdown.ts';
import type { Block, Inline, SectionSource } from './section-figures.ts';

// report.md's walker over a section's figures (section-figures.ts): `## title`, then each block,
// a blank line between them.

/** mdText keeps the spaces around a piece, which joins it to the next. */
function plain(text: string): string {
  const lead = /^\s*/.exec(text)?.[0] ? ' ' : '';
  const trail = /\S\s+$/.test(text) ? ' ' : '';
  const core = mdText(text);
  return core === '' ? lead : `${lead}${core}${trail}`;
}

function inline(parts: readonly Inline[]): string {
  return parts.map((part) => (typeof part === 'string' ? plain(part) : 'strong' in part ? `**${mdText(part.strong)}**` : mdCode(part.code))).join('');
}

function block(b: Block): string {
  if (b.kind === 'paragraph') return inline(b.text);
  if (b.kind === 'caption') return `${inline(b.text)}:`;
  return mdTable(b.header, b.rows.map((row) => row.map(mdText)), b.align);
}

/** The section in report.md, or '' when the run has none. */
export function sectionMd(source: SectionSource): (results: Parameters<SectionSource>[0]) => string {
  return (results) => {
    const figures = source(results);
    if (!figures) return '';
    return [`## ${mdText(figures.title)}`, ...figures.blocks.map(block)].join('\n\n');
  };
}
