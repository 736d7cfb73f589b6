import { describe, expect, it } from 'vitest';
import { renderPartitionedLayoutMd } from '../../../src/harness/report/render-partitioned-layout-md.ts';
import { renderShardsMd } from '../../../src/harness/report/render-shards-md.ts';
import { completedRun } from './fixtures.ts';
import { HOSTILE, hostile, partitionedLayout, shardedRun } from './topology-results-fixtures.ts';

// report.md's pg-partitioned sections with names from the databases that are markup: every one
// renders as itself (the layout and shard figures themselves are tested in test/unit/partitioning).

const ESCAPED = '\\<script\\>alert("x")\\</script\\> \\& \'q\'';

describe('report.md: pg-partitioned sections with hostile names', () => {
  it('escapes shard and operation names in the shard and fan-out tables', () => {
    const run = shardedRun(hostile);
    const md = renderShardsMd({ ...run, operations: { ...run.operations, [hostile('op')]: { ...run.operations.checkout!, fanout: 1 } } });
    expect(md).not.toContain(HOSTILE);
    expect(md).toContain(`| shard1${ESCAPED} | 1,200 | 245,760 | 300 (75.0%) | 10 (25.0%) | 0 (–) |`);
    expect(md).toContain(`| op${ESCAPED} | 1 of 2 |`);
    expect(md).toContain('| **skew (max / mean)** |   |   | 1.50 | 1.50 | – |');
  });

  it('escapes node, table, column, query and error text in the layout, and keeps its own markup', () => {
    const md = renderPartitionedLayoutMd({ ...completedRun(), partitionedLayout: partitionedLayout(hostile) });
    expect(md).not.toContain(HOSTILE);
    expect(md).toContain(`Shard replicas (asynchronous streaming): shard1${ESCAPED} → shard1-r1${ESCAPED}, shard1-r2; shard2 → shard2-r1.`);
    expect(md).toContain('so `readFrom: replicas` stays on the coordinator.');
    expect(md).toContain(`| coordinator-\\>shard1${ESCAPED} | 80 | 0 | 1.50 | 2.00 |`);
    expect(md).toContain(`What the copies are for: sales by category${ESCAPED}, answered on the coordinator`);
    expect(md).toContain('Same answer: **no** (12 categories).');
    expect(md).toContain(`| shard1 | order\\_id${ESCAPED}, carrier | 10 | 0 |`);
    expect(md).toContain(`Could not read: shard3: connection refused${ESCAPED}`);
  });

  it('leaves both sections out when their fields are absent', () => {
    expect(renderShardsMd(completedRun())).toBe('');
    expect(renderShardsMd({ ...completedRun(), shards: [] })).toBe('');
    expect(renderPartitionedLayoutMd(completedRun())).toBe('');
  });
});
