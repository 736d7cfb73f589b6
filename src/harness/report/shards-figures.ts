import { formatCount, formatDecimal, formatPercent, NO_VALUE } from './format-number.ts';
import type { RunResults, ShardLoad } from '../results/results-types.ts';
import { name, type Block, type RichText } from './rich-text.ts';

// Where the load landed on a partitioned topology, as data that report.md and report.html both
// render: each shard's rows and bytes as the run ended, what it served over the run (from its own
// statistics), and the skew (max / mean: 1 is an even spread, K shards means everything went to
// one), then each operation's fan-out.

const skew = (value: number | null | undefined) => (value === null || value === undefined ? NO_VALUE : formatDecimal(value));

function shardTable(results: RunResults, shards: readonly ShardLoad[]): Block {
  const total = (pick: (s: ShardLoad) => number) => shards.reduce((sum, s) => sum + pick(s), 0);
  const [reads, inserts, updates] = [total((s) => s.reads), total((s) => s.inserts), total((s) => s.updates)];
  const rows: RichText[][] = shards.map((s) => [
    name(s.name),
    formatCount(s.rows),
    formatCount(s.bytes),
    `${formatCount(s.reads)} (${formatPercent(s.reads, reads)})`,
    `${formatCount(s.inserts)} (${formatPercent(s.inserts, inserts)})`,
    `${formatCount(s.updates)} (${formatPercent(s.updates, updates)})`,
  ]);
  rows.push([{ strong: 'skew (max / mean)' }, '', '', skew(results.skew?.reads), skew(results.skew?.inserts), skew(results.skew?.updates)]);
  return {
    kind: 'table',
    header: ['Shard', 'Rows', 'Bytes', 'Reads', 'Inserts', 'Updates'],
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
    rows,
    name: 'shards',
  };
}

function fanoutBlocks(results: RunResults, shardCount: number): Block[] {
  const measured = Object.entries(results.operations).filter(([, stats]) => stats?.fanout !== undefined);
  if (measured.length === 0) return [];
  return [
    { kind: 'paragraph', text: 'Fan-out: shards one execution of each operation touched (run once, alone, after the checks).' },
    {
      kind: 'table',
      header: ['Operation', 'Shards touched', 'p50 ms'],
      align: ['left', 'right', 'right'],
      rows: measured.map(([operation, stats]) => [name(operation), `${stats!.fanout} of ${shardCount}`, formatDecimal(stats!.latencyMs.p50)]),
      name: 'fanout',
    },
  ];
}

/** The Shards section after its heading; empty when the run has no shards. */
export function shardsBlocks(results: RunResults): Block[] {
  const shards = results.shards;
  if (!shards || shards.length === 0) return [];
  return [
    {
      kind: 'paragraph',
      text: "Rows and bytes of the partitioned tables as the run ended; reads (scans started), inserts and updates served over the run, from each shard's pg_stat_user_tables.",
    },
    shardTable(results, shards),
    ...fanoutBlocks(results, shards.length),
  ];
}
