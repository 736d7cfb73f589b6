import { formatCount, formatDecimal, NO_VALUE } from './format-number.ts';
import { joinRich, name, names, type Block, type Rich, type RichText } from './rich-text.ts';
import type { PartitionedLayoutResults } from '../results/partitioned-layout-results.ts';
import type { LocalJoinResult } from '../results/partitioned-layout-results.ts';

// pg-partitioned beyond horizontal partitions, as data that report.md and report.html both render:
// each shard's replicas, each reference table's copies (current or not after the final quiesce,
// rows against the coordinator's) and how stale each copy was during the run, and each vertically
// split table's column groups with their rows.

const ms = (value: number | undefined) => (value === undefined ? NO_VALUE : formatDecimal(value));
const yesNo = (yes: boolean): Rich => (yes ? 'yes' : { strong: 'no' });

function replicasBlocks(layout: PartitionedLayoutResults): Block[] {
  if (layout.shardReplicas.length === 0) return [];
  const sets = layout.shardReplicas.map((s) => [name(s.shard), ' → ', ...names(s.replicas)]);
  const text = [
    'Shard replicas (asynchronous streaming): ',
    ...joinRich(sets, '; '),
    ". Clients never read them: the coordinator's postgres_fdw servers point at the shard primaries, so ",
    { code: 'readFrom: replicas' },
    ' stays on the coordinator.',
  ];
  return [{ kind: 'paragraph', text }];
}

function stalenessBlocks(layout: PartitionedLayoutResults): Block[] {
  const rows = Object.entries(layout.stalenessMs).map(([copy, s]) => [name(copy), s ? formatCount(s.samples) : '0', ms(s?.p50), ms(s?.p99), ms(s?.max)]);
  if (rows.length === 0) return [];
  return [
    {
      kind: 'paragraph',
      text: [
        'Staleness of each copy against its own source during the run (ms, from heartbeats every 50 ms): a reference copy (',
        { code: 'coordinator->shardN' },
        ') against the coordinator, a shard replica against its shard.',
      ],
    },
    { kind: 'table', header: ['Copy', 'Samples', 'p50', 'p99', 'max'], align: ['left', 'right', 'right', 'right', 'right'], rows, name: 'copy-staleness' },
  ];
}

function referenceBlocks(layout: PartitionedLayoutResults): Block[] {
  const ref = layout.reference;
  if (!ref) return [];
  const rows = ref.copies.map((c) => [name(c.node), name(c.table), formatCount(c.rows), formatCount(c.sourceRows), yesNo(c.current)]);
  return [
    {
      kind: 'paragraph',
      text: [
        'Reference tables (',
        ...names(ref.tables),
        '): written on the coordinator, copied to every shard by logical replication. ' +
          `After the final quiesce ${formatCount(ref.currentCopies)} of ${formatCount(ref.copies.length)} copies equal the coordinator's (rows and checksum).`,
      ],
    },
    { kind: 'table', header: ['Node', 'Table', 'Rows', 'Coordinator rows', 'Current'], align: ['left', 'left', 'right', 'right', 'left'], rows, name: 'reference-copies' },
    ...(ref.localJoin ? localJoinBlocks(ref.localJoin) : []),
  ];
}

function localJoinBlocks(join: LocalJoinResult): Block[] {
  return [
    {
      kind: 'paragraph',
      text: [
        'What the copies are for: ',
        name(join.query),
        ', answered on the coordinator (which pulls every order line from the shards) ' +
          'and on the shards (each joins its own lines with its own copy of products). Same answer: ',
        yesNo(join.sameAnswer),
        ` (${formatCount(join.categories)} categories).`,
      ],
    },
    {
      kind: 'table',
      header: ['Where the join runs', 'Rows sent to the coordinator', 'Best of 3, ms'],
      align: ['left', 'right', 'right'],
      rows: [
        ['coordinator', formatCount(join.coordinatorRowsMoved), formatDecimal(join.coordinatorMs)],
        ['each shard, against its copy', formatCount(join.shardLocalRowsMoved), formatDecimal(join.shardLocalMs)],
      ],
      name: 'local-join',
    },
  ];
}

function verticalBlocks(layout: PartitionedLayoutResults): Block[] {
  return (layout.vertical ?? []).flatMap((v): Block[] => [
    {
      kind: 'paragraph',
      text: [
        name(v.table),
        ' is split by columns: each group on its shard, the key (',
        ...names(v.key),
        `) in every group; the coordinator's view joins them and shows ${formatCount(v.viewRows)} rows. A part whose other parts are missing ` +
          '(a commit cut half-way across the nodes leaves them) is invisible through the view, so no check that reads the view sees it: it is counted here.',
      ],
    },
    {
      kind: 'table',
      header: ['Node', 'Columns', 'Rows', 'Parts without the others'],
      align: ['left', 'left', 'right', 'right'],
      rows: v.groups.map((g): RichText[] => [name(g.node), names(g.columns), formatCount(g.rows), g.orphans > 0 ? { strong: formatCount(g.orphans) } : '0']),
      name: 'column-groups',
    },
  ]);
}

/** The Partitioned layout section after its heading. */
export function partitionedLayoutBlocks(layout: PartitionedLayoutResults): Block[] {
  return [
    ...replicasBlocks(layout),
    ...stalenessBlocks(layout),
    ...referenceBlocks(layout),
    ...verticalBlocks(layout),
    ...(layout.errors ?? []).map((error): Block => ({ kind: 'paragraph', text: ['Could not read: ', name(error)] })),
  ];
}
