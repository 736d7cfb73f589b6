import { formatCount, formatDecimal, formatPercent, NO_VALUE } from './format-number.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults, ShardLoad } from './results-types.ts';

// Where the load landed on a partitioned topology: each shard's rows and bytes as the run
// ended, what it served over the run (from its own statistics), and the skew (max / mean: 1 is
// an even spread, K shards means everything went to one), then each operation's fan-out.

const skew = (value: number | null | undefined) => (value === null || value === undefined ? NO_VALUE : formatDecimal(value));

export function renderShardsMd(results: RunResults): string {
  const shards = results.shards;
  if (!shards || shards.length === 0) return '';
  const total = (pick: (s: ShardLoad) => number) => shards.reduce((sum, s) => sum + pick(s), 0);
  const [reads, inserts, updates] = [total((s) => s.reads), total((s) => s.inserts), total((s) => s.updates)];
  const rows = shards.map((s) => [
    mdText(s.name),
    formatCount(s.rows),
    formatCount(s.bytes),
    `${formatCount(s.reads)} (${formatPercent(s.reads, reads)})`,
    `${formatCount(s.inserts)} (${formatPercent(s.inserts, inserts)})`,
    `${formatCount(s.updates)} (${formatPercent(s.updates, updates)})`,
  ]);
  rows.push(['**skew (max / mean)**', '', '', skew(results.skew?.reads), skew(results.skew?.inserts), skew(results.skew?.updates)]);
  const parts = [
    '## Shards',
    'Rows and bytes of the partitioned tables as the run ended; reads (scans started), inserts and updates served over the run, from each shard\'s pg_stat_user_tables.',
    mdTable(['Shard', 'Rows', 'Bytes', 'Reads', 'Inserts', 'Updates'], rows, ['left', 'right', 'right', 'right', 'right', 'right']),
  ];
  const fanout = Object.entries(results.operations).filter(([, stats]) => stats?.fanout !== undefined);
  if (fanout.length > 0) {
    parts.push(
      'Fan-out: shards one execution of each operation touched (run once, alone, after the checks).',
      mdTable(
        ['Operation', 'Shards touched', 'p50 ms'],
        fanout.map(([name, stats]) => [mdText(name), `${stats!.fanout} of ${shards.length}`, formatDecimal(stats!.latencyMs.p50)]),
        ['left', 'right', 'right'],
      ),
    );
  }
  return parts.join('\n\n');
}
