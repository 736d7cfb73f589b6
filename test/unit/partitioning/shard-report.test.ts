import { describe, expect, it } from 'vitest';
import { shardLoadHeatmapChart } from '../../../src/harness/report/html/charts/shard-load-heatmap-chart.ts';
import { renderChartSvg } from '../../../src/harness/report/html/charts/render-chart-svg.ts';
import { renderShardsMd } from '../../../src/harness/report/render-shards-md.ts';
import { withPlacement } from '../../../src/topologies/postgres/partitioned/placement-results.ts';
import { testContext, testResults } from '../report/html/chart-context.ts';

// The shard section of report.md, the heatmap, and how shard figures join results.json.

const placed = withPlacement(testResults({ shardSeries: undefined }), {
  shards: [
    { name: 'shard1', rows: 100, bytes: 8192, reads: 50, inserts: 0, updates: 2 },
    { name: 'shard2', rows: 300, bytes: 16384, reads: 50, inserts: 90, updates: 2 },
  ],
  skew: { reads: 1, inserts: 2, updates: 1 },
  series: [{ time: 0, shard: 'shard2', reads: 5, inserts: 9, updates: 0 }],
  fanout: { checkout: 1, 'view-product': 2 },
});

describe('shard results', () => {
  it('adds shards, skew, series and per-operation fan-out, and leaves runs without shards alone', () => {
    expect(placed.shards).toHaveLength(2);
    expect(placed.skew).toEqual({ reads: 1, inserts: 2, updates: 1 });
    expect(placed.operations.checkout?.fanout).toBe(1);
    const plain = testResults({ shardSeries: undefined });
    expect(withPlacement(plain, undefined)).toBe(plain);
    expect(renderShardsMd(plain)).toBe('');
  });

  it('renders a shard table with shares and skew, then the fan-out table', () => {
    const md = renderShardsMd(placed);
    expect(md).toContain('## Shards');
    expect(md).toContain('| shard2 | 300 | 16,384 | 50 (50.0%) | 90 (100%) | 2 (50.0%) |');
    expect(md).toMatch(/\| \*\*skew \(max \/ mean\)\*\* \|\s*\|\s*\| 1\.00 \| 2\.00 \| 1\.00 \|/);
    expect(md).toContain('| checkout | 1 of 2 |');
  });

  it('draws the heatmap only when there is a series, without vega-lite warnings', async () => {
    expect(shardLoadHeatmapChart.build(testContext(testResults({ shardSeries: undefined })))).toBeUndefined();
    const spec = shardLoadHeatmapChart.build(testContext());
    const warnings: string[] = [];
    expect(await renderChartSvg(spec!, 'shard-load', (w) => warnings.push(w))).toMatch(/^<svg/);
    expect(warnings).toEqual([]);
  });
});
