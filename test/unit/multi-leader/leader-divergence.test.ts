import { describe, expect, it } from 'vitest';
import { diffRows } from '../../../src/topologies/postgres/multi-leader/leader-divergence.ts';

// What leaders still disagree on, row by row: a key missing somewhere, or different contents.

const rows = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('diffRows', () => {
  it('finds nothing when every leader holds the same rows', () => {
    expect(diffRows([rows({ '1,1': 'a', '2,1': 'b' }), rows({ '2,1': 'b', '1,1': 'a' })])).toEqual({ missing: 0, different: 0, keys: [] });
  });

  it('counts keys missing on a leader and keys whose contents differ, listing a few', () => {
    const us = rows({ '1,1': 'on_hand=40', '2,1': 'b', '3,1': 'c' });
    const eu = rows({ '1,1': 'on_hand=37', '2,1': 'b', '4,1': 'd' });
    expect(diffRows([us, eu])).toEqual({ missing: 2, different: 1, keys: ['1,1', '3,1', '4,1'] });
  });

  it('compares three leaders at once and lists at most five keys', () => {
    const many = (tag: string) => rows(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${i}`, `${tag}${i}`])));
    const result = diffRows([many('x'), many('x'), many('y')]);
    expect(result).toMatchObject({ missing: 0, different: 8 });
    expect(result.keys).toHaveLength(5);
  });
});
