import { formatCount } from '../../format-number.ts';
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
} from '../../multi-leader-figures.ts';
import type { RunResults } from '../../../results/results-types.ts';
import type { MultiLeaderResults } from '../../../results/multi-leader-results.ts';
import { html, joinHtml, type SafeHtml } from './html-escape.ts';
import { htmlTable, type Align } from './html-table.ts';

// pg-multi-leader, as report.md has it (both render ../../multi-leader-figures.ts): conflicts by
// the leader that applied them, by kind and by resolution; lag per direction; convergence and
// the rows left differing. Leader, table and key names come from the databases: escaped.

function conflictsHtml(ml: MultiLeaderResults): SafeHtml {
  const rows = conflictRows(ml.conflicts).map((row) => [row.leader ?? html`<strong>all</strong>`, ...row.figures]);
  const tables = conflictsByTable(ml.conflicts).map(([table, count]) => html`<code>${table}</code> ${count}`);
  return html`<h3>Conflicts</h3><p><strong>${formatCount(ml.conflicts.total)}</strong>, ${CONFLICTS_NOTE}</p>${htmlTable(CONFLICT_HEADER, rows, CONFLICT_ALIGN as readonly Align[], 'conflicts')}${
    tables.length > 0 ? html`<p>By table: ${joinHtml(tables, ', ')}.</p>` : ''
  }`;
}

function lagHtml(ml: MultiLeaderResults): SafeHtml {
  const rows = lagRows(ml);
  if (rows.length === 0) return html``;
  return html`<h3>Replication lag per direction</h3><p class="note">${LAG_NOTE}.</p>${htmlTable(LAG_HEADER, rows, LAG_ALIGN as readonly Align[], 'leader-lag')}`;
}

function convergenceHtml(ml: MultiLeaderResults): SafeHtml {
  const { summary, differing, unreadable } = convergence(ml);
  const rows = differing.map((d) => [html`<code>${d.table}</code>`, d.missing, d.different, joinHtml(d.keys.map((key) => html`<code>${key}</code>`), ' ')]);
  return html`<h3>Convergence</h3><p>${summary}</p>${rows.length > 0 ? htmlTable(DIVERGENCE_HEADER, rows, DIVERGENCE_ALIGN as readonly Align[], 'divergence') : ''}${
    unreadable.length > 0 ? html`<p>Could not be read: ${unreadable.map(([node, error]) => `${node} (${error})`).join('; ')}.</p>` : ''
  }`;
}

export function renderMultiLeaderHtml(results: RunResults): SafeHtml {
  const ml = results.multiLeader;
  if (!ml) return html``;
  return html`<section id="multi-leader"><h2>Multi-leader replication</h2>
<p>Leaders ${ml.leaders.join(', ')}, each replicating to every other with pglogical; conflict resolution <code>${ml.conflictResolution}</code>.</p>
${conflictsHtml(ml)}${lagHtml(ml)}${convergenceHtml(ml)}</section>`;
}
