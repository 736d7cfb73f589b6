import { partitionedLayoutBlocks } from './partitioned-layout-figures.ts';
import type { RunResults } from '../results/results-types.ts';
import { mdBlocks } from './rich-text.ts';

// pg-partitioned beyond horizontal partitions: shard replicas, reference copies and their
// staleness, the shard-local join, vertical column groups. The figures come from
// partitioned-layout-figures.ts, as report.html's do.

export function renderPartitionedLayoutMd(results: RunResults): string {
  const layout = results.partitionedLayout;
  if (!layout) return '';
  return ['## Partitioned layout', ...mdBlocks(partitionedLayoutBlocks(layout))].join('\n\n');
}
