import type { RunResults } from '../../../results/results-types.ts';
import { shardsBlocks } from '../../shards-figures.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlBlocks } from './html-rich-text.ts';

// pg-partitioned's shards, as report.md has it (both render ../../shards-figures.ts): per-shard
// rows, bytes and load with the skew, then each operation's fan-out. The shard-load chart draws
// the same load over time. Shard and operation names are escaped like every value.

export function renderShardsHtml(results: RunResults): SafeHtml {
  const blocks = shardsBlocks(results);
  if (blocks.length === 0) return html``;
  return html`<section id="shards"><h2>Shards</h2>
${htmlBlocks(blocks)}</section>`;
}
