import { html, type HtmlValue, type SafeHtml } from './html-escape.ts';

// Tables are most of the page. Cells are HtmlValue: plain strings are escaped by `html`, so a
// caller can only put markup in a cell by building it with `html` itself.

export type Align = 'left' | 'right';

export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly HtmlValue[])[],
  align: readonly Align[] = [],
  className = '',
): SafeHtml {
  const cls = (column: number) => (align[column] === 'right' ? 'num' : undefined);
  const cell = (tag: 'th' | 'td', value: HtmlValue, column: number) => {
    const name = cls(column);
    return tag === 'th'
      ? html`<th${name ? html` class="${name}"` : ''} scope="col">${value}</th>`
      : html`<td${name ? html` class="${name}"` : ''}>${value}</td>`;
  };
  return html`<div class="table-wrap"><table${className ? html` class="${className}"` : ''}>
<thead><tr>${header.map((title, column) => cell('th', title, column))}</tr></thead>
<tbody>
${rows.map((row) => html`<tr>${row.map((value, column) => cell('td', value, column))}</tr>\n`)}</tbody>
</table></div>`;
}
