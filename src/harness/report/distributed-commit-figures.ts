import type { DistributedCommitResults } from '../results/distributed-commit-results.ts';
import type { TwoPhaseCounts } from '../results/distributed-commit-results.ts';
import { formatCount, NO_VALUE } from './format-number.ts';

// Distributed checkout's figures as data: report.md and report.html render the same cells and
// sentences from here, so the two reports agree figure for figure. Node names are left raw; each
// renderer escapes its way.

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
