import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countConflicts, emptyReport, readConflictLogs } from '../../../src/topologies/postgres/multi-leader/conflict-log.ts';

// The fixtures are real server log lines, captured from two pglogical 2.4.2 leaders on
// PostgreSQL 15 after crafted conflicts (subscriptions disabled, the same rows written on both,
// subscriptions enabled again) under last_update_wins: every kind pglogical reports is there.

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('pglogical conflict log', () => {
  it('counts each conflict by kind, table, resolution and applying node from real log lines', async () => {
    const report = await readConflictLogs([
      { node: 'us-east', path: fixture('us-east-conflicts.log') },
      { node: 'eu-west', path: fixture('eu-west-conflicts.log') },
    ]);
    expect(report.total).toBe(8);
    expect(report.byKind).toEqual({ insert_insert: 3, update_update: 2, update_delete: 1, delete_delete: 2 });
    expect(report.byRelation).toEqual({ inv: 8 });
    expect(report.byResolution).toEqual({ apply_remote: 2, keep_local: 3, skip: 3 });
    expect(report.byNode['us-east']).toMatchObject({ total: 4, byKind: { insert_insert: 2, update_update: 1, update_delete: 0, delete_delete: 1 } });
    expect(report.byNode['eu-west']).toMatchObject({ total: 4, byKind: { insert_insert: 1, update_update: 1, update_delete: 1, delete_delete: 1 } });
  });

  it('keeps a few examples with pglogical\'s detail of both tuples', async () => {
    const report = await readConflictLogs([{ node: 'us-east', path: fixture('us-east-conflicts.log') }]);
    expect(report.examples[0]).toMatchObject({ node: 'us-east', kind: 'update_update', relation: 'inv', resolution: 'apply_remote' });
    expect(report.examples[0]!.detail).toMatch(/^existing local tuple \{id\[int4\]:1 n\[int4\]:97\}.*remote tuple/);
    expect(report.examples.length).toBeLessThanOrEqual(5);
  });

  it('ignores lines that only look alike, and keeps schemas other than public', async () => {
    const report = emptyReport();
    await countConflicts(
      'n1',
      [
        'LOG:  statement: SELECT \'CONFLICT: remote UPDATE on relation\'',
        '2026-01-01 00:00:00.000 UTC [1] LOG:  starting apply for subscription a_from_b',
        '2026-01-01 00:00:00.000 UTC [1] pglogical apply 1:2 LOG:  CONFLICT: remote UPDATE on relation shop."Stock" (local index "Stock_pkey"). Resolution: keep_local.',
      ],
      report,
    );
    expect(report.total).toBe(1);
    expect(report.byRelation).toEqual({ 'shop.Stock': 1 });
    expect(report.examples[0]).not.toHaveProperty('detail');
  });

  it('counts nothing, without failing, for a log that cannot be read', async () => {
    const report = await readConflictLogs([{ node: 'gone', path: '/nonexistent/postgres.log' }]);
    expect(report.total).toBe(0);
    expect(report.byNode.gone?.total).toBe(0);
  });
});
