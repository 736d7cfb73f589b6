import { describe, expect, it } from 'vitest';
import { assignmentArg, expandMatrix, type MatrixDimension } from '../../../src/harness/matrix/expand-matrix.ts';
import { shortPath, shortPaths, variantSlugs } from '../../../src/harness/compare/variant-label.ts';
import { parseOverride } from '../../../src/harness/scenario/set-overrides.ts';

const REPLICATION: MatrixDimension = { key: 'topology.replication', path: ['topology', 'replication'], values: ['async', 'sync', 'remote_apply'] };
const READ_FROM: MatrixDimension = {
  key: 'workload.operations.order-history.readFrom',
  path: ['workload', 'operations', 'order-history', 'readFrom'],
  values: ['primary', 'replicas'],
};

describe('expandMatrix', () => {
  it('is the cross product, first dimension slowest, numbered from 1', () => {
    const variants = expandMatrix([REPLICATION, READ_FROM]);
    expect(variants.map((v) => v.assignments.map((a) => a.value))).toEqual([
      ['async', 'primary'],
      ['async', 'replicas'],
      ['sync', 'primary'],
      ['sync', 'replicas'],
      ['remote_apply', 'primary'],
      ['remote_apply', 'replicas'],
    ]);
    expect(variants.map((v) => v.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(variants[3]!.assignments.map((a) => a.path)).toEqual([REPLICATION.path, READ_FROM.path]);
  });

  it('names each variant by its values, with short field names', () => {
    const variants = expandMatrix([REPLICATION, READ_FROM]);
    expect(variants[3]!.label).toBe('replication=sync,order-history.readFrom=replicas');
    expect(variants[3]!.slug).toBe('replication=sync,order-history.readFrom=replicas');
    expect(expandMatrix([REPLICATION]).map((v) => v.label)).toEqual(['replication=async', 'replication=sync', 'replication=remote_apply']);
  });

  it('turns assignments into --set arguments that read back the same value and type', () => {
    const values = ['sync', 'yes', '1', 3, true, null, { kind: 'open', rate: 500 }, ['a', 'b']];
    for (const value of values) {
      const arg = assignmentArg({ path: ['workload', 'loop'], value });
      expect(parseOverride(arg), arg).toMatchObject({ path: ['workload', 'loop'], value });
    }
  });
});

describe('variant names', () => {
  it('drops the section and the operations group from field paths', () => {
    expect(shortPath(['topology', 'replication'])).toBe('replication');
    expect(shortPath(['workload', 'operations', 'checkout', 'weight'])).toBe('checkout.weight');
    expect(shortPath(['workload', 'loop', 'concurrency'])).toBe('loop.concurrency');
    expect(shortPath(['seed'])).toBe('seed');
    expect(shortPath(['faults', 0, 'delay'])).toBe('faults[0].delay');
  });

  it('keeps the full path where two short names would be alike', () => {
    expect(shortPaths([['topology', 'settings', 'x'], ['workload', 'settings', 'x'], ['seed']])).toEqual([
      'topology.settings.x',
      'workload.settings.x',
      'seed',
    ]);
  });

  it('makes folder names safe and unique', () => {
    expect(variantSlugs(['loop={"kind":"open","rate":5}', 'a b/c', 'x=1', 'x=1', '../up'])).toEqual([
      'loop=_kind_open_,_rate_5_',
      'a_b_c',
      'x=1',
      'x=1~2',
      'up',
    ]);
    expect(variantSlugs(['v='.padEnd(300, 'x')])[0]!.length).toBe(100);
  });
});
