import type { RunResults } from '../results/results-types.ts';
import { mdBlocks } from './rich-text.ts';
import { shardsBlocks } from './shards-figures.ts';

// Where the load landed on a partitioned topology: per-shard rows, bytes and load with the skew,
// then each operation's fan-out. The figures come from shards-figures.ts, as report.html's do.

export function renderShardsMd(results: RunResults): string {
  const blocks = shardsBlocks(results);
  return blocks.length === 0 ? '' : ['## Shards', ...mdBlocks(blocks)].join('\n\n');
}
