import { formatCount } from './format-number.ts';
import { mdCode, mdTable, mdText, type Align } from './markdown.ts';
import {
  CONFLICT_ALIGN,
  CONFLICT_HEADER,
  CONFLICTS_NOTE,
  conflictRows,
  conflictsByTable,
  convergence,
  DIVERGENCE_ALIGN,
  DIVERGENCE_HEADER,
  LAG_ALIGN,
  LAG_HEADER,
  LAG_NOTE,
  lagRows,
} from './multi-leader-figures.ts';
import type { RunResults } from '../results/results-types.ts';
import type { MultiLeaderResults } from '../results/multi-leader-results.ts';

// pg-multi-leader: the conflicts pglogical resolved (counted from the leaders' logs), how far each
// direction of replication lagged, and whether the leaders ended up holding the same rows. The
// figures come from multi-leader-figures.ts, as report.html's do.

function conflictsMd(ml: MultiLeaderResults): string[] {
  const rows = conflictRows(ml.conflicts).map((row) => [row.leader === undefined ? '**all**' : mdText(row.leader), ...row.figures]);
  const tables = conflictsByTable(ml.conflicts).map(([table, count]) => `${mdCode(table)} ${count}`);
  return [
    `**Conflicts**: ${formatCount(ml.conflicts.total)}, ${mdText(CONFLICTS_NOTE)}`,
    mdTable(CONFLICT_HEADER.map(mdText), rows, CONFLICT_ALIGN as readonly Align[]),
    ...(tables.length > 0 ? [`By table: ${tables.join(', ')}.`] : []),
  ];
}

function lagMd(ml: MultiLeaderResults): string[] {
  const rows = lagRows(ml);
  if (rows.length === 0) return [];
  return [`**Replication lag per direction** (${mdText(LAG_NOTE)}):`, mdTable(LAG_HEADER, rows.map((row) => row.map(mdText)), LAG_ALIGN as readonly Align[])];
}

function convergenceMd(ml: MultiLeaderResults): string[] {
  const { summary, differing, unreadable } = convergence(ml);
  const parts = [`**Convergence**: ${mdText(summary)}`];
  if (differing.length > 0) {
    const rows = differing.map((d) => [mdCode(d.table), d.missing, mdText(d.different), d.keys.map((key) => mdCode(key, { inTable: true })).join(' ')]);
    parts.push(mdTable(DIVERGENCE_HEADER, rows, DIVERGENCE_ALIGN as readonly Align[]));
  }
  if (unreadable.length > 0) parts.push(`Could not be read: ${unreadable.map(([node, error]) => `${mdText(node)} (${mdText(error)})`).join('; ')}.`);
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
