import { describe, expect, it } from 'vitest';
import { htmlBlocks, htmlRich } from '../../../src/harness/report/html/page/html-rich-text.ts';
import { mdBlocks, mdRich, names, type Block, type RichText } from '../../../src/harness/report/rich-text.ts';

// The paragraphs and tables both reports render: our own words go into report.md as written,
// names are escaped, and report.html escapes everything.

const SENTENCE: RichText = ['Tables (', ...names(['a_b', '<i>x</i>']), ') use ', { code: 'a->b' }, ': ', { strong: 'no' }, '.'];

describe('rich text', () => {
  it('renders in report.md with names escaped and our own text and markup as written', () => {
    expect(mdRich(SENTENCE)).toBe('Tables (a\\_b, \\<i\\>x\\</i\\>) use `a->b`: **no**.');
    expect(mdRich('pg_stat_user_tables')).toBe('pg_stat_user_tables');
  });

  it('renders in report.html with every piece escaped and only its own markup', () => {
    expect(htmlRich(SENTENCE).value).toBe('Tables (a_b, &lt;i&gt;x&lt;/i&gt;) use <code>a-&gt;b</code>: <strong>no</strong>.');
    expect(htmlRich({ strong: '<b>' }).value).toBe('<strong>&lt;b&gt;</strong>');
  });

  it('lays out the same paragraphs and tables in both', () => {
    const blocks: Block[] = [
      { kind: 'paragraph', text: SENTENCE },
      { kind: 'table', header: ['Name', 'Rows'], align: ['left', 'right'], rows: [[{ name: 'x|y' }, '1,000']], name: 'things' },
    ];
    expect(mdBlocks(blocks)).toEqual([mdRich(SENTENCE), '| Name | Rows |\n| --- | ---: |\n| x\\|y | 1,000 |']);
    const html = htmlBlocks(blocks).value;
    expect(html).toContain(`<p>${htmlRich(SENTENCE).value}</p>`);
    expect(html).toContain('<table class="things">');
    expect(html).toContain('<td>x|y</td><td class="num">1,000</td>');
  });
});
