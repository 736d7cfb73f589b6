import { describe, expect, it } from 'vitest';
import { renderMultiLeaderMd } from '../../../src/harness/report/render-multi-leader-md.ts';
import { renderReportMd } from '../../../src/harness/report/write-report-md.ts';
import type { MultiLeaderResults } from '../../../src/harness/results/multi-leader-results.ts';
import { emptyCounts } from '../../../src/topologies/postgres/multi-leader/conflict-log.ts';
import { completedRun } from '../report/fixtures.ts';

// The multi-leader section of report.md: conflicts per applying leader, lag per direction, and
// whether the leaders converged, or what they still disagree on.

const counts = (updates: number, kept: number) => ({
  ...emptyCounts(),
  total: updates,
  byKind: { insert_insert: 0, update_update: updates, update_delete: 0, delete_delete: 0 },
  byRelation: { inventory: updates },
  byResolution: { keep_local: kept, apply_remote: updates - kept },
});

const multiLeader: MultiLeaderResults = {
  conflictResolution: 'last_update_wins',
  leaders: ['us-east', 'eu-west'],
  conflicts: { ...counts(30, 20), byNode: { 'us-east': counts(12, 8), 'eu-west': counts(18, 12) }, examples: [] },
  lagMs: { 'us-east->eu-west': { samples: 90, p50: 41.2, p99: 95, max: 120 } },
  catchUpMs: 88,
  convergenceMs: 88,
  divergence: { rows: 0, tables: {}, unreadable: {} },
};

describe('multi-leader report', () => {
  it('is absent for other topologies', () => {
    expect(renderMultiLeaderMd(completedRun())).toBe('');
  });

  it('tabulates conflicts by applying leader, kind and resolution, then lag per direction', () => {
    const md = renderReportMd({ ...completedRun(), multiLeader });
    expect(md).toContain('## Multi-leader replication');
    expect(md).toContain('conflict resolution `last_update_wins`');
    expect(md).toContain('| us-east | 12 | 0 | 12 | 0 | 0 | 4 | 8 | 0 |');
    expect(md).toContain('| **all** | 30 | 0 | 30 | 0 | 0 | 10 | 20 | 0 |');
    expect(md).toContain('By table: `inventory` 30.');
    expect(md).toContain('| us-east-\\>eu-west | 90 | 41.2 | 95.0 | 120 |');
    expect(md).toMatch(/applied every other's writes 88\.0 ms after the load ended.*identical rows/);
  });

  it('lists what leaders still disagree on when they did not converge', () => {
    const diverged: MultiLeaderResults = {
      ...multiLeader,
      conflictResolution: 'apply_remote',
      convergenceMs: null,
      divergence: { rows: 3, tables: { inventory: { missing: 1, different: 2, keys: ['1,1', '7,1'] } }, unreadable: {} },
    };
    const md = renderMultiLeaderMd({ ...completedRun(), multiLeader: diverged });
    expect(md).toContain('3 rows still differ between leaders');
    expect(md).toContain('| `inventory` | 1 | 2 | `1,1` `7,1` |');
  });

  it('says so when the leaders never caught up', () => {
    const md = renderMultiLeaderMd({ ...completedRun(), multiLeader: { ...multiLeader, catchUpMs: null, convergenceMs: null } });
    expect(md).toContain('did not all apply each other\'s writes within the quiesce bound');
    expect(md).not.toContain('identical rows');
  });
});
