// Names, descriptions, error messages and checker examples are untrusted text (a scenario file,
// a database error): in report.md they must render as themselves, never as markup or HTML, and
// never break a table row. Every such string goes through one of these functions.

// Terminal escapes and other control characters in database errors would garble the file.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

// Characters with inline meaning in CommonMark/GFM: escapes, code, emphasis, links, HTML and
// autolinks, table cells, strikethrough, entities, GitHub math. All may be backslash-escaped.
const INLINE_SPECIAL = /[\\`*_[\]<>|~&$]/g;

/** One line of plain text, safe inline after other text: a table cell, a heading, a list item. */
export function mdText(text: string): string {
  const line = text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  return line.replace(INLINE_SPECIAL, (char) => `\\${char}`);
}

/** Multi-paragraph text: blank lines separate paragraphs, other line breaks are folded. */
export function mdParagraphs(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map(mdText)
    // Only a line's start can open a block (heading, list, quote, rule); headings, list items
    // and cells never start with untrusted text, but a paragraph does.
    .map((paragraph) => paragraph.replace(/^(\d{1,9})([.)])/, '$1\\$2').replace(/^([#+=-])/, '\\$1'))
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}

/** Literal text in a code span. In a table cell pipes still need escaping, even inside code. */
export function mdCode(text: string, options: { inTable?: boolean } = {}): string {
  let line = text.replace(CONTROL, '').replace(/\r?\n/g, ' ');
  if (line === '') return '` `';
  if (options.inTable) line = line.replaceAll('|', '\\|');
  const fence = '`'.repeat(longestRun(line, '`') + 1);
  // A code span strips one space from each end, and would merge with a backtick at an edge.
  const pad = line.startsWith('`') || line.endsWith('`') || (line.startsWith(' ') && line.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** A fenced block: kept verbatim (line breaks included) and never parsed as markdown. */
export function mdFenced(text: string): string {
  const body = text.replace(CONTROL, '').replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}text\n${body}\n${fence}`;
}

export type Align = 'left' | 'right';

/** A GFM table. Cells are already-rendered markdown (use mdText or mdCode for untrusted text). */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => (cell === '' ? ' ' : cell)).join(' | ')} |`;
  const rule = header.map((_, column) => (align[column] === 'right' ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
