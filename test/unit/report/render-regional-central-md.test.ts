import { describe, expect, it } from 'vitest';
import { renderRegionalCentralMd } from '../../../src/harness/report/render-regional-central-md.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import type { RegionalCentralResults } from '../../../src/topologies/postgres/regional/regional-results.ts';

const regional: RegionalCentralResults = {
  central: { node: 'central', region: 'central' },
  publishedTables: ['orders', 'order_items', 'payments'],
  regions: [
    { region: 'seattle', node: 'seattle', replicas: ['seattle-replica1'], customerRegions: ['NA'], customers: 275 },
    { region: 'boston', node: 'boston', replicas: [], customerRegions: ['EMEA'], customers: 318 },
  ],
  freshnessMs: { seattle: { samples: 120, p50: 0, p99: 3877.7, max: 3979.7 }, boston: null },
  freshnessSeries: [
    { time: 0, region: 'seattle', maxMs: 12.5 },
    { time: 1, region: 'seattle', maxMs: 980 },
    { time: 1, region: 'boston', maxMs: 3 },
  ],
  replicaStalenessMs: { 'seattle-replica1': { samples: 120, p50: 0.5, p99: 4, max: 9 } },
  completeness: { acknowledged: 10, onCentral: 10, missingCentral: 0, duplicated: 0, incomplete: 0, extra: 0, missingRegional: 0, indeterminate: 1, indeterminateOnCentral: 1 },
  analytics: {
    salesByRegion: [{ customerRegion: 'NA', region: 'seattle', orders: 30, runOrders: 10, revenue: 1234.5 }],
    topProducts: [{ productId: 7, name: 'Steel | Pants', units: 12, revenue: 99.5 }],
    queryMs: { salesByRegion: 2.5, topProducts: 3.25 },
  },
};

const render = (r: RegionalCentralResults | undefined) => renderRegionalCentralMd({ regionalCentral: r } as unknown as RunResults);

describe('report.md: Regions and central', () => {
  it('shows placement, freshness per region and per second, replicas, completeness and analytics', () => {
    const md = render(regional);
    expect(md).toMatch(/^## Regions and central/);
    expect(md).toContain('fed by logical replication of orders, order\\_items, payments');
    expect(md).toContain('| seattle | seattle | seattle-replica1 | NA | 275 |');
    expect(md).toContain('| seattle | 120 | 0 | 3,878 | 3,980 |');
    expect(md).toContain('| boston | 0 | – | – | – |');
    expect(md).toContain('| Second | seattle | boston |');
    expect(md).toContain('| 1 | 980 | 3.00 |');
    expect(md).toContain('| 0 | 12.5 | – |');
    expect(md).toContain('| seattle-replica1 | 120 | 0.50 | 4.00 | 9.00 |');
    expect(md).toContain('10 orders acknowledged by the regions; 10 on central exactly once and whole, 0 missing, 0 duplicated');
    expect(md).toContain('| NA | seattle | 30 | 10 | 1,235 |');
    // Untrusted text (a product name) cannot break the table.
    expect(md).toContain('| 7 | Steel \\| Pants | 12 | 99.5 |');
  });

  it('says when there is no central, and is absent from other topologies\' reports', () => {
    const geo = render({ ...regional, central: null, publishedTables: [], freshnessMs: {}, freshnessSeries: [], replicaStalenessMs: {}, completeness: undefined, analytics: undefined } as unknown as RegionalCentralResults);
    expect(geo).toContain('No central node: each region holds its own customers and orders only (geo-partitioning).');
    expect(geo).not.toContain('Freshness');
    expect(render(undefined)).toBe('');
  });
});
