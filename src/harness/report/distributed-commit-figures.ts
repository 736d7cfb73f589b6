import type { DistributedCommitResults } from '../results/distributed-commit-results.ts';
import type { TwoPhaseCounts } from '../results/distributed-commit-results.ts';
import { formatCount, NO_VALUE } from './format-number.ts';
import type { Block, SectionFigures } from './section-figures.ts';
import type { RunResults } from '../results/results-types.ts';

// Distributed checkout's section as data (section-figures.ts): how it committed, what a kill at
// the commit point hit, and (two-phase commit) what was left in doubt and how recovery ended it.
// report.md and report.html walk the same blocks, so the two agree figure for figure; node names
// are left raw and each walker escapes its way. The atomicity check says whether any checkout was
// half-applied.

/** What each mode means, after "Mode <mode>: ". */
export const MODE_NOTE: Readonly<Record<DistributedCommitResults['mode'], string>> = {
  plain:
    "one transaction through the coordinator's postgres_fdw, which commits each shard's part in turn and " +
    'has no two-phase commit: nothing is ever prepared, so nothing is in doubt and nothing can be repaired afterwards.',
  '2pc':
    'the harness is the transaction manager. Every node prepares its part (PREPARE TRANSACTION), the ' +
    'decision is logged on the coordinator, then every node commits (COMMIT PREPARED); without a logged decision the ' +
    'transaction is rolled back (presumed abort).',
};

export const TRANSACTIONS_HEADER = ['Two-phase checkouts', 'Committed', 'Aborted', 'Decision unknown', 'Branches left to recovery'];

export function transactionsRow(t: Readonly<TwoPhaseCounts>): string[] {
  return [formatCount(t.started), formatCount(t.committed), formatCount(t.aborted), formatCount(t.undecided), formatCount(t.leftInDoubt)];
}

export const RECOVERY_HEADER = ['In doubt (found by recovery)', 'Committed (decision logged)', 'Rolled back (no decision)', 'Still unresolved', 'Recovery passes'];

export function recoveryRow(dc: DistributedCommitResults): string[] {
  return [formatCount(dc.inDoubt), formatCount(dc.committed), formatCount(dc.rolledBack), formatCount(dc.unresolved), formatCount(dc.recoveryPasses)];
}

export const FIGURES_ALIGN = ['right', 'right', 'right', 'right', 'right'] as const;

export const KILLS_HEADER = ['Killed', 'Order', 'Participants', 'Held stopped', 'Already committed'];
export const KILLS_ALIGN = ['left', 'right', 'left', 'left', 'left'] as const;

/** One row per `kill ... during: commit` as it landed. */
export function killRows(dc: DistributedCommitResults): string[][] {
  return dc.commitPointKills.map((k) => [
    k.target,
    String(k.orderId),
    k.participants.join(', '),
    k.stalled ?? NO_VALUE,
    k.committedBeforeKill === undefined ? NO_VALUE : k.committedBeforeKill.join(', ') || 'none',
  ]);
}

/** The whole section, or undefined for a run without distributed checkouts. */
export function distributedCommitSection(results: RunResults): SectionFigures | undefined {
  const dc = results.distributedCommit;
  if (!dc) return undefined;
  const blocks: Block[] = [{ kind: 'paragraph', text: ['Mode ', { strong: dc.mode }, ': ', MODE_NOTE[dc.mode]] }];
  if (dc.mode === '2pc') {
    if (dc.transactions) blocks.push({ kind: 'table', name: 'two-phase', header: TRANSACTIONS_HEADER, rows: [transactionsRow(dc.transactions)], align: FIGURES_ALIGN });
    blocks.push({ kind: 'table', name: 'in-doubt', header: RECOVERY_HEADER, rows: [recoveryRow(dc)], align: FIGURES_ALIGN });
  }
  const kills = killRows(dc);
  if (kills.length > 0) {
    blocks.push({ kind: 'caption', text: ['Kills at the commit point (', { code: 'kill ... during: commit' }, ')'] });
    blocks.push({ kind: 'table', name: 'commit-kills', header: KILLS_HEADER, rows: kills, align: KILLS_ALIGN });
  }
  return { id: 'distributed-commit', title: 'Distributed commit', blocks };
}
