import { describe, expect, it } from 'vitest';
import { checkCopies, convergenceChecker } from '../../../src/harness/checker/convergence-checker.ts';
import type { CopyComparison } from '../../../src/harness/checker/checker-types.ts';
import { fakeNode } from './history-builders.ts';

// Convergence where nodes hold different rows by design (pg-partitioned): each copy against its
// own source, on the source's tables only. A shard replica behind its shard is a difference; a
// shard holding other rows than the coordinator is not.

/** A node answering the fingerprint query per table: `rows` of each table it is asked about. */
function node(rows: Readonly<Record<string, number>>, asked: string[] = []) {
  return fakeNode((text) => {
    const table = /FROM "(\w+)" AS t/.exec(text)?.[1];
    if (!table) return [];
    asked.push(table);
    if (!(table in rows)) throw new Error(`relation "${table}" does not exist`);
    return [{ rows: String(rows[table]), checksum: `md5-${rows[table]}` }];
  });
}

const COMPARISONS: CopyComparison[] = [
  { source: 'coordinator', copies: ['shard1', 'shard2'], tables: { products: ['id'] } },
  { source: 'shard1', copies: ['shard1-r1'], tables: { orders: ['id'], products: ['id'] } },
];

describe('convergence of copies', () => {
  it('is valid when every copy holds its source rows, however different the sources are', async () => {
    const asked: string[] = [];
    const nodes = {
      coordinator: node({ products: 300, orders: 999 }),
      shard1: node({ products: 300, orders: 40 }, asked),
      shard2: node({ products: 300, orders: 60 }),
      'shard1-r1': node({ products: 300, orders: 40 }),
    };
    const result = await checkCopies(nodes, COMPARISONS, 1);
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ comparisons: 2, copies: 3, differences: 0 });
    // Only the tables each source holds: shard1 was asked for products twice (as a copy and as a source) and orders once.
    expect(asked.sort()).toEqual(['orders', 'products', 'products']);
  });

  it('is invalid when a replica is behind its shard, naming the pair', async () => {
    const nodes = {
      coordinator: node({ products: 300 }),
      shard1: node({ products: 300, orders: 40 }),
      shard2: node({ products: 300 }),
      'shard1-r1': node({ products: 300, orders: 39 }),
    };
    const result = await checkCopies(nodes, COMPARISONS, 2, 1);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ differences: 1, attempts: 2 });
    expect(result.examples).toEqual([expect.objectContaining({ table: 'orders', node: 'shard1-r1', rows: 39, referenceNode: 'shard1', referenceRows: 40 })]);
    expect(result.explanation).toMatch(/shard1 and its copies \(shard1-r1\): The nodes did not converge/);
  });

  it('is invalid when a shard lacks a reference row, and unknown when a copy is down', async () => {
    const stale = await checkCopies({ coordinator: node({ products: 300 }), shard1: node({ products: 299, orders: 1 }), shard2: node({ products: 300 }), 'shard1-r1': node({ products: 299, orders: 1 }) }, COMPARISONS, 1);
    expect(stale.verdict).toBe('invalid');
    expect(stale.examples[0]).toMatchObject({ node: 'shard1', referenceNode: 'coordinator' });
    const down = await checkCopies({ coordinator: node({ products: 300 }), shard1: node({ products: 300, orders: 1 }), shard2: node({ products: 300 }) }, COMPARISONS, 1);
    expect(down.verdict).toBe('unknown');
    expect(down.counts.unreadableNodes).toBe(1);
  });

  it('is what the context-driven checker runs when the topology names its copies', async () => {
    const ctx = {
      historyPath: '/nonexistent',
      finalState: fakeNode(() => []),
      primaryNode: 'coordinator',
      nodeStates: { coordinator: node({ products: 1, orders: 5 }), shard1: node({ products: 1, orders: 2 }), shard2: node({ products: 1 }), 'shard1-r1': node({ products: 1, orders: 2 }) },
      copyComparisons: COMPARISONS,
    };
    expect((await convergenceChecker.check(ctx)).verdict).toBe('valid');
  });
});
