import { describe, expect, it } from 'vitest';
import { renderDistributedCommitMd } from '../../../src/harness/report/render-distributed-commit-md.ts';
import { renderReportMd } from '../../../src/harness/report/write-report-md.ts';
import { completedRun } from './fixtures.ts';

describe('report.md: distributed commit', () => {
  it('is absent from runs without it', () => {
    expect(renderDistributedCommitMd(completedRun())).toBe('');
  });

  it('shows 2pc in-doubt transactions, how recovery ended them, and each kill at the commit point', () => {
    const md = renderDistributedCommitMd({
      ...completedRun(),
      distributedCommit: {
        mode: '2pc',
        inDoubt: 7,
        committed: 6,
        rolledBack: 1,
        unresolved: 0,
        recoveryPasses: 4,
        transactions: { started: 3763, committed: 3746, aborted: 17, undecided: 0, leftInDoubt: 8 },
        commitPointKills: [{ target: 'shard1', orderId: 1964, participants: ['coordinator', 'shard3', 'shard1'] }],
      },
    });
    expect(md).toContain('## Distributed commit');
    expect(md).toContain('Mode **2pc**');
    expect(md).toContain('| 7 | 6 | 1 | 0 | 4 |');
    expect(md).toContain('| 3,763 | 3,746 | 17 | 0 | 8 |');
    expect(md).toContain('| shard1 | 1964 | coordinator, shard3, shard1 | – | – |');
  });

  it('says plain mode has nothing to recover, and what each kill found committed', () => {
    const results = {
      ...completedRun(),
      distributedCommit: {
        mode: 'plain' as const,
        inDoubt: 0,
        committed: 0,
        rolledBack: 0,
        unresolved: 0,
        recoveryPasses: 0,
        commitPointKills: [
          { target: 'shard1', orderId: 2193, participants: ['coordinator', 'shard3', 'shard1'], stalled: 'shard1', committedBeforeKill: ['shard3'] },
          { target: 'shard2', orderId: 4494, participants: ['coordinator', 'shard2'], stalled: 'shard2', committedBeforeKill: [] },
        ],
      },
    };
    const md = renderReportMd(results);
    expect(md).toContain('Mode **plain**');
    expect(md).toContain('| shard1 | 2193 | coordinator, shard3, shard1 | shard1 | shard3 |');
    expect(md).toContain('| shard2 | 4494 | coordinator, shard2 | shard2 | none |');
  });
});
