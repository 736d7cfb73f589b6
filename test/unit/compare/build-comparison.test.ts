import { describe, expect, it } from 'vitest';
import { ALL_OPERATIONS, buildComparison } from '../../../src/harness/compare/build-comparison.ts';
import { flatten, scenarioDifferences } from '../../../src/harness/compare/scenario-differences.ts';
import { completedRun } from '../report/fixtures.ts';
import { threeVariants } from './compare-fixtures.ts';

describe('buildComparison', () => {
  const comparison = buildComparison(threeVariants(), { notRun: ['replication=quorum'] });

  it('lists the runs in order, with what sets them apart', () => {
    expect(comparison.title).toBe('checkout-under-replication');
    expect(comparison.runs.map((run) => [run.label, run.dir, run.runId, run.status, run.seed])).toEqual([
      ['replication=async', 'replication=async', 'run-a', 'completed', 42],
      ['replication=sync', 'replication=sync', 'run-b', 'completed', 42],
      ['replication=remote_apply', 'replication=remote_apply', 'run-c', 'failed', 42],
    ]);
    expect(comparison.runs[2]!.error).toMatch(/primary pg0 exited/);
    expect(comparison.differences).toEqual([{ path: 'topology.replication', values: ['async', 'sync', 'remote_apply'] }]);
    expect(comparison.notRun).toEqual(['replication=quorum']);
  });

  it('has a table per metric: a row per operation and the totals, a value per run', () => {
    const p99 = comparison.metrics.find((m) => m.metric === 'p99')!;
    expect(p99).toMatchObject({ unit: 'ms', better: 'lower', title: 'Latency p99 (ms)' });
    expect(p99.rows.map((row) => row.operation)).toEqual(['browse-category', 'view-product', 'add-to-cart', 'checkout', 'order-history']);
    expect(p99.rows.find((row) => row.operation === 'checkout')!.values).toEqual([38.5, 77.5, 38.5]);
    expect(p99.total).toEqual({ operation: ALL_OPERATIONS, values: [21.4, 21.4, 21.4] });
    const errors = comparison.metrics.find((m) => m.metric === 'errors')!;
    const checkout = completedRun().operations.checkout!;
    expect(errors.rows.find((row) => row.operation === 'checkout')!.values[0]).toBe(checkout.fail + checkout.info);
    expect(comparison.metrics.map((m) => m.metric)).toEqual(['count', 'throughput', 'p50', 'p90', 'p99', 'p999', 'max', 'mean', 'errors', 'fail', 'info']);
  });

  it('has null for an operation a run did not measure', () => {
    const [a, b] = threeVariants();
    const { checkout: _dropped, ...rest } = b!.results.operations;
    const partial = buildComparison([a!, { ...b!, results: { ...b!.results, operations: rest } }]);
    const p50 = partial.metrics.find((m) => m.metric === 'p50')!;
    expect(p50.rows.find((row) => row.operation === 'checkout')!.values).toEqual([6.93, null]);
  });

  it('puts every check side by side: verdicts, key counts first, null where a check did not run', () => {
    expect(comparison.checks.map((c) => c.check)).toEqual(['invariants', 'read-your-writes']);
    const check = comparison.checks.find((c) => c.check === 'read-your-writes')!;
    expect(check.verdicts).toEqual(['invalid', 'valid', null]);
    expect(check.counts.map((c) => [c.name, c.key])).toEqual([
      ['violations', true],
      ['acknowledgedCheckouts', false],
      ['readsChecked', false],
    ]);
    expect(check.counts[0]).toMatchObject({ label: 'violations', unit: 'count', better: 'lower', values: [4, 0, null] });
    expect(comparison.checks.find((c) => c.check === 'invariants')!.verdicts).toEqual(['invalid', 'invalid', null]);
  });

  it('reads durations among the counts as milliseconds', () => {
    const base = completedRun();
    const lost = { verdict: 'invalid' as const, counts: { acknowledged: 10, lost: 2, rpoMs: 340 }, examples: [], explanation: '' };
    const built = buildComparison([{ label: 'x', dir: 'x', results: { ...base, checks: { 'lost-writes': lost } } }]);
    expect(built.checks[0]!.counts.map((c) => [c.name, c.label, c.unit, c.key])).toEqual([
      ['lost', 'lost', 'count', true],
      ['rpoMs', 'RPO', 'ms', true],
      ['acknowledged', 'acknowledged', 'count', false],
    ]);
  });

  it('compares nothing without runs', () => {
    expect(buildComparison([])).toMatchObject({ title: 'no runs', runs: [], differences: [], checks: [] });
  });
});

describe('scenarioDifferences', () => {
  it('walks mappings and lists of mappings; lists of plain values are one field', () => {
    expect([...flatten({ a: { b: 1, c: [1, 2] }, f: [{ at: 1 }], e: {}, n: null }).entries()]).toEqual([
      ['a.b', 1],
      ['a.c', [1, 2]],
      ['f[0].at', 1],
      ['e', {}],
      ['n', null],
    ]);
  });

  it('reports fields that differ, with null where a run has no such field', () => {
    expect(scenarioDifferences([{ a: 1, b: [1], f: [] }, { a: 1, b: [2], f: [{ at: 5 }] }])).toEqual([
      { path: 'b', values: [[1], [2]] },
      { path: 'f', values: [[], null] },
      { path: 'f[0].at', values: [null, 5] },
    ]);
  });
});
