import {
  FIGURES_ALIGN,
  killRows,
  KILLS_ALIGN,
  KILLS_HEADER,
  MODE_NOTE,
  RECOVERY_HEADER,
  recoveryRow,
  TRANSACTIONS_HEADER,
  transactionsRow,
} from '../../distributed-commit-figures.ts';
import type { RunResults } from '../../../results/results-types.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlTable } from './html-table.ts';

// Distributed checkout on pg-partitioned, as report.md has it (both render
// ../../distributed-commit-figures.ts): the mode, what two-phase commit left in doubt and how
// recovery ended it, and each kill at the commit point. Node names are escaped like every value.

export function renderDistributedCommitHtml(results: RunResults): SafeHtml {
  const dc = results.distributedCommit;
  if (!dc) return html``;
  const twoPhase =
    dc.mode === '2pc'
      ? html`${dc.transactions ? htmlTable(TRANSACTIONS_HEADER, [transactionsRow(dc.transactions)], FIGURES_ALIGN, 'two-phase') : ''}${htmlTable(RECOVERY_HEADER, [recoveryRow(dc)], FIGURES_ALIGN, 'in-doubt')}`
      : html``;
  const kills = killRows(dc);
  return html`<section id="distributed-commit"><h2>Distributed commit</h2>
<p>Mode <strong>${dc.mode}</strong>: ${MODE_NOTE[dc.mode]}</p>
${twoPhase}${kills.length > 0 ? html`<h3>Kills at the commit point (<code>kill ... during: commit</code>)</h3>${htmlTable(KILLS_HEADER, kills, KILLS_ALIGN, 'commit-kills')}` : ''}</section>`;
}
