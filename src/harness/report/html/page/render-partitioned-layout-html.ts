import { partitionedLayoutBlocks } from '../../partitioned-layout-figures.ts';
import type { RunResults } from '../../../results/results-types.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlBlocks } from './html-rich-text.ts';

// pg-partitioned beyond horizontal partitions, as report.md has it (both render
// ../../partitioned-layout-figures.ts): shard replicas, reference copies and their staleness, the
// shard-local join, vertical column groups. Node, table and column names are escaped.

export function renderPartitionedLayoutHtml(results: RunResults): SafeHtml {
  const layout = results.partitionedLayout;
  if (!layout) return html``;
  return html`<section id="partitioned-layout"><h2>Partitioned layout</h2>
${htmlBlocks(partitionedLayoutBlocks(layout))}</section>`;
}
