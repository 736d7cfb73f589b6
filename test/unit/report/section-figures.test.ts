import { describe, expect, it } from 'vitest';
import { sectionHtml } from '../../../src/harness/report/html/page/render-section-html.ts';
import { sectionMd } from '../../../src/harness/report/render-section-md.ts';
import type { SectionSource } from '../../../src/harness/report/section-figures.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import { completedRun } from './fixtures.ts';

// One figures file is a whole report section: each format's walker renders any section's blocks
// and escapes every string its own way.
const evil = '<script>alert("x")</script> *bold* | pipe';
const source: SectionSource = (results) =>
  results.run.status === 'completed'
    ? {
        id: 'example',
        title: 'Example',
        blocks: [
          { kind: 'paragraph', text: ['Node ', { strong: evil }, ' said ', { code: 'SELECT 1' }] },
          { kind: 'caption', text: ['Rows of ', { code: 'orders' }] },
          { kind: 'table', name: 'rows', header: ['Node', 'Rows'], rows: [[evil, '1,024']], align: ['left', 'right'] },
        ],
      }
    : undefined;

describe('report sections from figures', () => {
  const results = completedRun();

  it('report.md: a heading, the blocks a blank line apart, untrusted text escaped', () => {
    expect(sectionMd(source)(results)).toBe(
      [
        '## Example',
        'Node **\\<script\\>alert("x")\\</script\\> \\*bold\\* \\| pipe** said `SELECT 1`',
        'Rows of `orders`:',
        '| Node | Rows |\n| --- | ---: |\n| \\<script\\>alert("x")\\</script\\> \\*bold\\* \\| pipe | 1,024 |',
      ].join('\n\n'),
    );
  });

  it('report.html: a section with the id and title, every string escaped', () => {
    const page = sectionHtml(source)(results).value;
    expect(page).toMatch(/^<section id="example"><h2>Example<\/h2>\n<p>Node <strong>&lt;script&gt;/);
    expect(page).toContain('<h3>Rows of <code>orders</code></h3>');
    expect(page).toContain('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; *bold* | pipe</td>');
    expect(page).not.toContain('<script>');
  });

  it('renders nothing when the run has no such section', () => {
    const failed: RunResults = { ...results, run: { ...results.run, status: 'failed' } };
    expect(sectionMd(source)(failed)).toBe('');
    expect(sectionHtml(source)(failed).value).toBe('');
  });
});
