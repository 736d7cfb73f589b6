import { describe, expect, it } from 'vitest';
import { convergenceChecker, createConvergenceChecker, evaluateConvergence, type NodeSnapshots } from '../../../src/harness/checker/convergence-checker.ts';
import { TABLE_KEYS } from '../../../src/topologies/postgres/final-state/table-snapshot-pg.ts';
import { fakeNode } from './history-builders.ts';

const same = { orders: { rows: 120, checksum: 'aaa' }, payments: { rows: 120, checksum: 'bbb' } };

describe('evaluateConvergence', () => {
  it('passes when every node matches the primary table by table', () => {
    const result = evaluateConvergence({ primary: same, replica1: same, replica2: same });
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ nodes: 3, tables: 2, differences: 0, differingTables: 0, 'orders.rows': 120 });
  });

  it('catches a replica with fewer rows, against the primary', () => {
    const snapshots: NodeSnapshots = { replica1: { ...same, orders: { rows: 118, checksum: 'ccc' } }, primary: same, replica2: same };
    const result = evaluateConvergence(snapshots);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ differences: 1, differingTables: 1 });
    expect(result.examples).toEqual([
      { table: 'orders', node: 'replica1', rows: 118, checksum: 'ccc', referenceNode: 'primary', referenceRows: 120, referenceChecksum: 'aaa' },
    ]);
    expect(result.explanation).toMatch(/orders on replica1 has 118 rows against 120/);
  });

  it('catches the same row count with different contents', () => {
    const result = evaluateConvergence({ primary: same, replica1: { ...same, payments: { rows: 120, checksum: 'zzz' } } });
    expect(result.verdict).toBe('invalid');
    expect(result.explanation).toMatch(/same row count but different contents/);
  });

  it('counts a table missing on one node as a difference', () => {
    const result = evaluateConvergence({ primary: same, replica1: { orders: same.orders } });
    expect(result.verdict).toBe('invalid');
    expect(result.examples).toEqual([expect.objectContaining({ table: 'payments', node: 'replica1', rows: null, referenceRows: 120 })]);
  });

  it('compares with the named reference (the primary after a failover)', () => {
    const old = { ...same, orders: { rows: 121, checksum: 'old' } };
    const result = evaluateConvergence({ primary: old, replica1: same, replica2: same }, 'replica1');
    expect(result.examples).toEqual([expect.objectContaining({ node: 'primary', referenceNode: 'replica1', rows: 121 })]);
  });

  it('is unknown with a single node', () => {
    expect(evaluateConvergence({ primary: same }).verdict).toBe('unknown');
    expect(evaluateConvergence({}).verdict).toBe('unknown');
  });
});

/** A node answering the fingerprint query with fixed rows/checksum for every table. */
function node(rows: () => number) {
  return fakeNode((text) => (text.startsWith('SELECT count(*)') ? [{ rows: String(rows()), checksum: `md5-${rows()}` }] : []));
}

describe('convergence checker', () => {
  const ctx = { historyPath: '/nonexistent', finalState: fakeNode(() => []) };

  it('fingerprints every workload table on every node', async () => {
    const seen: string[] = [];
    const primary = fakeNode((text) => {
      seen.push(text);
      return text.startsWith('SELECT count(*)') ? [{ rows: '3', checksum: 'x' }] : [];
    });
    const result = await createConvergenceChecker(async () => ({ primary, replica1: node(() => 3) }), { attempts: 1 }).check(ctx);
    expect(result.verdict).toBe('invalid');
    expect(result.counts.tables).toBe(Object.keys(TABLE_KEYS).length);
    expect(seen[0]).toMatch(/BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY/);
    expect(seen).toContainEqual(expect.stringMatching(/string_agg\(t::text, ',' ORDER BY "order_id", "line"\).* FROM "order_items" AS t/));
  });

  it('is valid after a retry once the copies agree', async () => {
    let attempt = 0;
    const replica = fakeNode((text) => {
      if (text.startsWith('BEGIN')) attempt++;
      return text.startsWith('SELECT count(*)') ? [{ rows: attempt === 1 ? '2' : '3', checksum: attempt === 1 ? 'behind' : 'md5-3' }] : [];
    });
    const result = await createConvergenceChecker(async () => ({ primary: node(() => 3), replica1: replica }), { retryDelayMs: 1 }).check(ctx);
    expect(result.verdict).toBe('valid');
    expect(result.counts.attempts).toBe(2);
  });

  it('gives up after the last attempt with the difference', async () => {
    const result = await createConvergenceChecker(async () => ({ primary: node(() => 3), replica1: node(() => 2) }), { attempts: 2, retryDelayMs: 1 }).check(ctx);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ attempts: 2, differingTables: Object.keys(TABLE_KEYS).length });
  });

  it('an unreadable node makes an otherwise clean result unknown', async () => {
    const down = fakeNode(() => {
      throw new Error('connect ECONNREFUSED');
    });
    const result = await createConvergenceChecker(async () => ({ primary: node(() => 3), replica1: node(() => 3), replica2: down })).check(ctx);
    expect(result.verdict).toBe('unknown');
    expect(result.counts.unreadableNodes).toBe(1);
    expect(result.explanation).toMatch(/replica2 \(connect ECONNREFUSED\)/);
  });

  it('the context-driven checker uses nodeStates when the runner provides them', async () => {
    expect((await convergenceChecker.check(ctx)).verdict).toBe('unknown');
    const withNodes = { ...ctx, nodeStates: { primary: node(() => 1), replica1: node(() => 1) }, primaryNode: 'primary' };
    expect((await convergenceChecker.check(withNodes)).verdict).toBe('valid');
  });
});
