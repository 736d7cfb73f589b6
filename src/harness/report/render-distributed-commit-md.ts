import { formatCount } from './format-number.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from './results-types.ts';

// Distributed checkout on pg-partitioned: how it committed, what a kill at the commit point hit,
// and (two-phase commit) what was left in doubt and how recovery ended it. The atomicity check
// below says whether any checkout was half-applied.

export function renderDistributedCommitMd(results: RunResults): string {
  const dc = results.distributedCommit;
  if (!dc) return '';
  const parts = ['## Distributed commit'];
  if (dc.mode === 'plain') {
    parts.push(
      "Mode **plain**: one transaction through the coordinator's postgres_fdw, which commits each shard's part in turn and " +
        'has no two-phase commit: nothing is ever prepared, so nothing is in doubt and nothing can be repaired afterwards.',
    );
  } else {
    const t = dc.transactions;
    parts.push(
      'Mode **2pc**: the harness is the transaction manager. Every node prepares its part (PREPARE TRANSACTION), the ' +
        'decision is logged on the coordinator, then every node commits (COMMIT PREPARED); without a logged decision the ' +
        'transaction is rolled back (presumed abort).',
    );
    if (t) {
      parts.push(
        mdTable(
          ['Two-phase checkouts', 'Committed', 'Aborted', 'Decision unknown', 'Branches left to recovery'],
          [[formatCount(t.started), formatCount(t.committed), formatCount(t.aborted), formatCount(t.undecided), formatCount(t.leftInDoubt)]],
          ['right', 'right', 'right', 'right', 'right'],
        ),
      );
    }
    parts.push(
      mdTable(
        ['In doubt (found by recovery)', 'Committed (decision logged)', 'Rolled back (no decision)', 'Still unresolved', 'Recovery passes'],
        [[formatCount(dc.inDoubt), formatCount(dc.committed), formatCount(dc.rolledBack), formatCount(dc.unresolved), formatCount(dc.recoveryPasses)]],
        ['right', 'right', 'right', 'right', 'right'],
      ),
    );
  }
  if (dc.commitPointKills.length > 0) {
    const rows = dc.commitPointKills.map((k) => [
      mdText(k.target),
      String(k.orderId),
      mdText(k.participants.join(', ')),
      mdText(k.stalled ?? '–'),
      k.committedBeforeKill === undefined ? '–' : mdText(k.committedBeforeKill.join(', ') || 'none'),
    ]);
    parts.push(
      'Kills at the commit point (`kill ... during: commit`):',
      mdTable(['Killed', 'Order', 'Participants', 'Held stopped', 'Already committed'], rows, ['left', 'right', 'left', 'left', 'left']),
    );
  }
  return parts.join('\n\n');
}
