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
} from './distributed-commit-figures.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from '../results/results-types.ts';

// Distributed checkout on pg-partitioned: how it committed, what a kill at the commit point hit,
// and (two-phase commit) what was left in doubt and how recovery ended it. The atomicity check
// below says whether any checkout was half-applied. The figures come from
// distributed-commit-figures.ts, as report.html's do.

export function renderDistributedCommitMd(results: RunResults): string {
  const dc = results.distributedCommit;
  if (!dc) return '';
  const parts = ['## Distributed commit', `Mode **${mdText(dc.mode)}**: ${mdText(MODE_NOTE[dc.mode])}`];
  if (dc.mode === '2pc') {
    if (dc.transactions) parts.push(mdTable(TRANSACTIONS_HEADER, [transactionsRow(dc.transactions)], FIGURES_ALIGN));
    parts.push(mdTable(RECOVERY_HEADER, [recoveryRow(dc)], FIGURES_ALIGN));
  }
  const kills = killRows(dc);
  if (kills.length > 0) {
    parts.push('Kills at the commit point (`kill ... during: commit`):', mdTable(KILLS_HEADER, kills.map((row) => row.map(mdText)), KILLS_ALIGN));
  }
  return parts.join('\n\n');
}
