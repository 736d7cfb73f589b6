import type { ConflictCounts } from '../../topologies/postgres/multi-leader/conflict-log.ts';
import { CONFLICT_KINDS } from '../../topologies/postgres/multi-leader/conflict-log.ts';
import type { MultiLeaderResults } from '../../topologies/postgres/multi-leader/multi-leader-results.ts';
import { formatCount, formatDecimal } from './format-number.ts';
import { mdCode, mdTable, mdText } from './markdown.ts';
import type { RunResults } from './results-types.ts';

// pg-multi-leader: the conflicts pglogical resolved (counted from the leaders' logs), how far each
// direction of replication lagged, and whether the leaders ended up holding the same rows.

const RESOLUTIONS = ['apply_remote', 'keep_local', 'skip'] as const;

function conflictRow(name: string, counts: ConflictCounts): string[] {
  return [
    name,
    formatCount(counts.total),
    ...CONFLICT_KINDS.map((kind) => formatCount(counts.byKind[kind])),
    ...RESOLUTIONS.map((resolution) => formatCount(counts.byResolution[resolution] ?? 0)),
  ];
}

function conflictsMd(ml: MultiLeaderResults): string[] {
  const { conflicts } = ml;
  const rows = Object.entries(conflicts.byNode).map(([node, counts]) => conflictRow(mdText(node), counts));
  rows.push(conflictRow('**all**', conflicts));
  const tables = Object.entries(conflicts.byRelation)
    .sort(([, a], [, b]) => b - a)
    .map(([table, count]) => `${mdCode(table)} ${formatCount(count)}`);
  return [
    `**Conflicts**: ${formatCount(conflicts.total)}, counted in each leader's server log (pglogical records them nowhere else), by the leader that applied the incoming change.` +
      ' pglogical calls it a conflict whenever a change arrives for a row whose current version came from another origin, concurrent or not.' +
      ' keep\\_local: the incoming change was dropped; apply\\_remote: it replaced the local version, which loses a write whenever it was made without seeing that version.',
    mdTable(
      ['Applied on', 'Total', ...CONFLICT_KINDS.map((kind) => mdText(kind)), ...RESOLUTIONS.map((r) => mdText(r))],
      rows,
      ['left', ...Array<'right'>(1 + CONFLICT_KINDS.length + RESOLUTIONS.length).fill('right')],
    ),
    ...(tables.length > 0 ? [`By table: ${tables.join(', ')}.`] : []),
  ];
}

function lagMd(ml: MultiLeaderResults): string[] {
  const directions = Object.entries(ml.lagMs);
  if (directions.length === 0) return [];
  return [
    '**Replication lag per direction** (A->B: how far behind B\'s copy of A\'s writes was, from a heartbeat every 50 ms):',
    mdTable(
      ['Direction', 'Samples', 'p50 ms', 'p99 ms', 'max ms'],
      directions.map(([direction, lag]) => [mdText(direction), formatCount(lag.samples), formatDecimal(lag.p50), formatDecimal(lag.p99), formatDecimal(lag.max)]),
      ['left', 'right', 'right', 'right', 'right'],
    ),
  ];
}

function convergenceMd(ml: MultiLeaderResults): string[] {
  const { divergence } = ml;
  const unreadable = Object.keys(divergence.unreadable);
  const caughtUp =
    ml.catchUpMs === null
      ? 'The leaders did not all apply each other\'s writes within the quiesce bound after the load ended.'
      : `Every leader had applied every other's writes ${formatDecimal(ml.catchUpMs)} ms after the load ended (every fault healed).`;
  const parts = [`**Convergence**: ${caughtUp}`];
  const differing = Object.entries(divergence.tables);
  if (differing.length === 0 && unreadable.length === 0) {
    parts[0] += ml.catchUpMs === null ? '' : ' They then held identical rows in every table: converged, whatever the rows say.';
    return parts;
  }
  if (differing.length > 0) {
    parts[0] += ` ${formatCount(divergence.rows)} rows still differ between leaders (missing on some, or different contents):`;
    parts.push(
      mdTable(
        ['Table', 'Missing somewhere', 'Different', 'Keys (a few)'],
        differing.map(([table, d]) => [
          mdCode(table),
          d.tooLarge ? '–' : formatCount(d.missing),
          d.tooLarge ? 'too large to compare row by row' : formatCount(d.different),
          d.keys.map((key) => mdCode(key, { inTable: true })).join(' '),
        ]),
        ['left', 'right', 'right', 'left'],
      ),
    );
  }
  if (unreadable.length > 0) parts.push(`Could not be read: ${unreadable.map((node) => `${mdText(node)} (${mdText(divergence.unreadable[node]!)})`).join('; ')}.`);
  return parts;
}

export function renderMultiLeaderMd(results: RunResults): string {
  const ml = results.multiLeader;
  if (!ml) return '';
  return [
    '## Multi-leader replication',
    `Leaders ${ml.leaders.map(mdText).join(', ')}, each replicating to every other with pglogical; conflict resolution ${mdCode(ml.conflictResolution)}.`,
    ...conflictsMd(ml),
    ...lagMd(ml),
    ...convergenceMd(ml),
  ].join('\n\n');
}
