import { describe, expect, it } from 'vitest';
import { renderPartitionedLayoutMd } from '../../../src/harness/report/render-partitioned-layout-md.ts';
import { compareCopies } from '../../../src/topologies/postgres/partitioned/layout-report.ts';
import type { PartitionedLayoutResults } from '../../../src/harness/results/partitioned-layout-results.ts';
import { withPlacement } from '../../../src/topologies/postgres/partitioned/placement-results.ts';
import { mergeSales, sameSales } from '../../../src/topologies/postgres/partitioned/reference-join.ts';
import { testResults } from '../report/html/chart-context.ts';

// The layout figures: which copies are current, the join answered two ways, and how report.md
// shows replicas, reference copies and column groups.

describe('reference copies against the coordinator', () => {
  it('are current only with the same rows and checksum', () => {
    const source = { products: { rows: 3, checksum: 'a' }, ratings: { rows: 5, checksum: 'b' } };
    const copies = compareCopies(source, {
      shard1: { products: { rows: 3, checksum: 'a' }, ratings: { rows: 5, checksum: 'b' } },
      shard2: { products: { rows: 3, checksum: 'z' }, ratings: { rows: 4, checksum: 'c' } },
    });
    expect(copies.map((c) => `${c.node}.${c.table}:${c.current}`)).toEqual(['shard1.products:true', 'shard1.ratings:true', 'shard2.products:false', 'shard2.ratings:false']);
    expect(copies[3]).toEqual({ node: 'shard2', table: 'ratings', rows: 4, sourceRows: 5, current: false });
  });
});

describe('sales by category, answered on the coordinator and on the shards', () => {
  it('adds the shards\' partial sums exactly (cents, not floats) and compares them with the whole', () => {
    const whole = mergeSales([[{ category: '1', revenue: '30.30', lines: '3' }, { category: '2', revenue: '0.10', lines: '1' }]]);
    const parts = mergeSales([
      [{ category: '1', revenue: '10.10', lines: '1' }, { category: '2', revenue: '0.1', lines: '1' }],
      [{ category: '1', revenue: '20.20', lines: '2' }],
    ]);
    expect(parts.get('1')).toEqual([3030n, 3]);
    expect(sameSales(whole, parts)).toBe(true);
    expect(sameSales(whole, mergeSales([[{ category: '1', revenue: '30.29', lines: '3' }, { category: '2', revenue: '0.10', lines: '1' }]]))).toBe(false);
    expect(sameSales(whole, mergeSales([[{ category: '1', revenue: '30.30', lines: '3' }]]))).toBe(false);
  });
});

const LAYOUT: PartitionedLayoutResults = {
  shardReplicas: [{ shard: 'shard1', replicas: ['shard1-r1'] }],
  stalenessMs: { 'coordinator->shard1': { samples: 80, p50: 0, p99: 1.5, max: 2 }, 'shard1-r1': { samples: 60, p50: 0, p99: 900, max: 2240 } },
  reference: {
    tables: ['products'],
    coordinatorRows: { products: 300 },
    copies: [
      { node: 'shard1', table: 'products', rows: 300, sourceRows: 300, current: true },
      { node: 'shard1-r1', table: 'products', rows: 299, sourceRows: 300, current: false },
    ],
    currentCopies: 1,
    staleCopies: 1,
    localJoin: { query: 'sales by category', coordinatorRowsMoved: 4650, shardLocalRowsMoved: 36, coordinatorMs: 7.7, shardLocalMs: 1.5, categories: 12, sameAnswer: true },
  },
  vertical: [
    {
      table: 'shipments',
      key: ['order_id'],
      groups: [
        { node: 'shard1', columns: ['order_id', 'carrier'], rows: 10, orphans: 0 },
        { node: 'shard2', columns: ['order_id', 'address'], rows: 11, orphans: 1 },
      ],
      viewRows: 10,
    },
  ],
};

describe('the Partitioned layout section', () => {
  const placement = { shards: [], skew: { reads: null, inserts: null, updates: null }, series: [], fanout: {} };

  it('joins results.json as partitionedLayout, and renders nothing without it', () => {
    expect(withPlacement(testResults(), { ...placement, layout: LAYOUT }).partitionedLayout).toBe(LAYOUT);
    expect(withPlacement(testResults(), placement).partitionedLayout).toBeUndefined();
    expect(renderPartitionedLayoutMd(testResults())).toBe('');
  });

  it('shows replicas, staleness per copy, each reference copy, the join and each column group', () => {
    const md = renderPartitionedLayoutMd(withPlacement(testResults(), { ...placement, layout: LAYOUT }));
    expect(md).toContain('## Partitioned layout');
    expect(md).toContain('shard1 → shard1-r1');
    expect(md).toContain('| shard1-r1 | 60 | 0 | 900 | 2,240 |');
    expect(md).toContain('After the final quiesce 1 of 2 copies equal the coordinator\'s');
    expect(md).toContain('| shard1-r1 | products | 299 | 300 | **no** |');
    expect(md).toContain('| coordinator | 4,650 | 7.70 |');
    expect(md).toContain('| each shard, against its copy | 36 | 1.50 |');
    expect(md).toMatch(/shipments is split by columns[\s\S]*shows 10 rows/);
    expect(md).toContain('| shard1 | order\\_id, carrier | 10 | 0 |');
    expect(md).toContain('| shard2 | order\\_id, address | 11 | **1** |');
  });
});
