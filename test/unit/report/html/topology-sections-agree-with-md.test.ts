import { describe, expect, it } from 'vitest';
import { renderDistributedCommitHtml } from '../../../../src/harness/report/html/page/render-distributed-commit-html.ts';
import { renderMultiLeaderHtml } from '../../../../src/harness/report/html/page/render-multi-leader-html.ts';
import { renderPartitionedLayoutHtml } from '../../../../src/harness/report/html/page/render-partitioned-layout-html.ts';
import { renderRegionalCentralHtml } from '../../../../src/harness/report/html/page/render-regional-central-html.ts';
import { renderShardsHtml } from '../../../../src/harness/report/html/page/render-shards-html.ts';
import { renderDistributedCommitMd } from '../../../../src/harness/report/render-distributed-commit-md.ts';
import { renderMultiLeaderMd } from '../../../../src/harness/report/render-multi-leader-md.ts';
import { renderPartitionedLayoutMd } from '../../../../src/harness/report/render-partitioned-layout-md.ts';
import { renderRegionalCentralMd } from '../../../../src/harness/report/render-regional-central-md.ts';
import { renderShardsMd } from '../../../../src/harness/report/render-shards-md.ts';
import type { RunResults } from '../../../../src/harness/results/results-types.ts';
import type { SafeHtml } from '../../../../src/harness/report/html/page/html-escape.ts';
import { htmlParagraphTexts, htmlTableRows, htmlText, mdParagraphTexts, mdTableRows } from '../table-cells.ts';
import { completedRun } from '../fixtures.ts';
import { hostile, multiLeader, partitionedLayout, regionalCentral, topologyRun } from '../topology-results-fixtures.ts';

// report.md and report.html render the topologies' sections from the same figure functions:
// every table cell a reader sees must be the same in both, whatever the names hold.

const SECTIONS: [string, (r: RunResults) => string, (r: RunResults) => SafeHtml][] = [
  ['multi-leader', renderMultiLeaderMd, renderMultiLeaderHtml],
  ['regional-central', renderRegionalCentralMd, renderRegionalCentralHtml],
  ['distributed-commit', renderDistributedCommitMd, renderDistributedCommitHtml],
  ['shards', renderShardsMd, renderShardsHtml],
  ['partitioned-layout', renderPartitionedLayoutMd, renderPartitionedLayoutHtml],
];

const VARIANTS: [string, RunResults][] = [
  ['plain names', topologyRun()],
  ['hostile names', topologyRun(hostile)],
  ['leaders that never caught up', { ...topologyRun(), multiLeader: { ...multiLeader(), catchUpMs: null } }],
  ['no central (geo-partitioning)', { ...topologyRun(), regionalCentral: { ...regionalCentral(), central: null, freshnessMs: {}, freshnessSeries: [] } }],
  ['plain commit', { ...topologyRun(), distributedCommit: { ...topologyRun().distributedCommit!, mode: 'plain', transactions: undefined } }],
  ['no fan-out measured, no skew', { ...topologyRun(), operations: completedRun().operations, skew: undefined }],
  ['layout without replicas or join', { ...topologyRun(), partitionedLayout: { ...partitionedLayout(), shardReplicas: [], reference: { ...partitionedLayout().reference!, localJoin: undefined } } }],
];

describe.each(VARIANTS)('report.md and report.html agree on the topology sections (%s)', (_, results) => {
  it.each(SECTIONS)('%s: the same tables, cell for cell', (_name, md, html) => {
    const mdRows = mdTableRows(md(results));
    expect(mdRows.length).toBeGreaterThan(1);
    expect(htmlTableRows(html(results).value)).toEqual(mdRows);
  });
});

// The pg-partitioned sections are built as paragraphs and tables both reports render: every
// sentence, not only every cell, reads the same.
describe.each([
  ['plain names', topologyRun()],
  ['hostile names', topologyRun(hostile)],
  ['markdown in names', topologyRun((s) => `${s}*_|[x]~$`)],
])('report.md and report.html agree on the pg-partitioned sections, sentence for sentence (%s)', (_, results) => {
  it.each([
    ['shards', renderShardsMd, renderShardsHtml],
    ['partitioned-layout', renderPartitionedLayoutMd, renderPartitionedLayoutHtml],
  ] as const)('%s', (_name, md, html) => {
    const sentences = mdParagraphTexts(md(results));
    expect(sentences.length).toBeGreaterThan(0);
    expect(htmlParagraphTexts(html(results).value)).toEqual(sentences);
  });
});

describe('report.md and report.html say the same sentences with figures', () => {
  const results = topologyRun(hostile);
  const text = (section: SafeHtml) => htmlText(section.value);

  it('multi-leader: the conflict total and the convergence summary', () => {
    expect(text(renderMultiLeaderHtml(results))).toContain(
      "Every leader had applied every other's writes 813 ms after the load ended (every fault healed). 7 rows still differ between leaders",
    );
    expect(renderMultiLeaderMd(results)).toContain('**Convergence**: Every leader had applied every other\'s writes 813 ms after the load ended');
    expect(text(renderMultiLeaderHtml(results))).toContain('By table: stock');
  });

  it('regional-central: completeness and analytics timings', () => {
    const page = text(renderRegionalCentralHtml(results));
    const sentence = 'Completeness after heal: 1,010 orders acknowledged by the regions; 1,008 on central exactly once and whole, 2 missing';
    expect(page).toContain(sentence);
    expect(renderRegionalCentralMd(results)).toContain(sentence);
    expect(page).toContain('Analytics on central: sales by region (2.50 ms)');
    expect(page).toContain('Top products by units sold (3.25 ms):');
  });
});
