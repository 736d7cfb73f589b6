import { formatCount, formatDecimal, NO_VALUE } from './format-number.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from './results-types.ts';
import type { PartitionedLayoutResults } from '../../topologies/postgres/partitioned/layout-results.ts';

// pg-partitioned beyond horizontal partitions: each shard's replicas, each reference table's
// copies (current or not after the final quiesce, rows against the coordinator's) and how stale
// each copy was during the run, and each vertically split table's column groups with their rows.

const ms = (value: number | undefined) => (value === undefined ? NO_VALUE : formatDecimal(value));

function stalenessMd(layout: PartitionedLayoutResults): string[] {
  const rows = Object.entries(layout.stalenessMs).map(([copy, s]) => [mdText(copy), s ? formatCount(s.samples) : '0', ms(s?.p50), ms(s?.p99), ms(s?.max)]);
  if (rows.length === 0) return [];
  return [
    'Staleness of each copy against its own source during the run (ms, from heartbeats every 50 ms): a reference copy ' +
      '(`coordinator->shardN`) against the coordinator, a shard replica against its shard.',
    mdTable(['Copy', 'Samples', 'p50', 'p99', 'max'], rows, ['left', 'right', 'right', 'right', 'right']),
  ];
}

function referenceMd(layout: PartitionedLayoutResults): string[] {
  const ref = layout.reference;
  if (!ref) return [];
  const rows = ref.copies.map((c) => [mdText(c.node), mdText(c.table), formatCount(c.rows), formatCount(c.sourceRows), c.current ? 'yes' : '**no**']);
  return [
    `Reference tables (${ref.tables.map(mdText).join(', ')}): written on the coordinator, copied to every shard by logical replication. ` +
      `After the final quiesce ${formatCount(ref.currentCopies)} of ${formatCount(ref.copies.length)} copies equal the coordinator's (rows and checksum).`,
    mdTable(['Node', 'Table', 'Rows', 'Coordinator rows', 'Current'], rows, ['left', 'left', 'right', 'right', 'left']),
    ...localJoinMd(layout),
  ];
}

function localJoinMd(layout: PartitionedLayoutResults): string[] {
  const join = layout.reference?.localJoin;
  if (!join) return [];
  return [
    `What the copies are for: ${mdText(join.query)}, answered on the coordinator (which pulls every order line from the shards) ` +
      `and on the shards (each joins its own lines with its own copy of products). Same answer: ${join.sameAnswer ? 'yes' : '**no**'} ` +
      `(${formatCount(join.categories)} categories).`,
    mdTable(
      ['Where the join runs', 'Rows sent to the coordinator', 'Best of 3, ms'],
      [
        ['coordinator', formatCount(join.coordinatorRowsMoved), formatDecimal(join.coordinatorMs)],
        ['each shard, against its copy', formatCount(join.shardLocalRowsMoved), formatDecimal(join.shardLocalMs)],
      ],
      ['left', 'right', 'right'],
    ),
  ];
}

function verticalMd(layout: PartitionedLayoutResults): string[] {
  return (layout.vertical ?? []).flatMap((v) => [
    `${mdText(v.table)} is split by columns: each group on its shard, the key (${v.key.map(mdText).join(', ')}) in every group; ` +
      `the coordinator's view joins them and shows ${formatCount(v.viewRows)} rows. A part whose other parts are missing ` +
      '(a commit cut half-way across the nodes leaves them) is invisible through the view, so no check that reads the view sees it: it is counted here.',
    mdTable(
      ['Node', 'Columns', 'Rows', 'Parts without the others'],
      v.groups.map((g) => [mdText(g.node), g.columns.map(mdText).join(', '), formatCount(g.rows), g.orphans > 0 ? `**${formatCount(g.orphans)}**` : '0']),
      ['left', 'left', 'right', 'right'],
    ),
  ]);
}

export function renderPartitionedLayoutMd(results: RunResults): string {
  const layout = results.partitionedLayout;
  if (!layout) return '';
  const parts = ['## Partitioned layout'];
  if (layout.shardReplicas.length > 0) {
    parts.push(
      `Shard replicas (asynchronous streaming): ${layout.shardReplicas.map((s) => `${mdText(s.shard)} → ${s.replicas.map(mdText).join(', ')}`).join('; ')}. ` +
        "Clients never read them: the coordinator's postgres_fdw servers point at the shard primaries, so `readFrom: replicas` stays on the coordinator.",
    );
  }
  parts.push(...stalenessMd(layout), ...referenceMd(layout), ...verticalMd(layout));
  for (const error of layout.errors ?? []) parts.push(`Could not read: ${mdText(error)}`);
  return parts.join('\n\n');
}
