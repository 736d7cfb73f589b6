import { describe, expect, it } from 'vitest';
import { FreshnessRecord, spreadOf, withRegionalCentral, type RegionalCentralResults } from '../../../src/topologies/postgres/regional/regional-results.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';

describe('regional results', () => {
  it('spreads are nearest-rank: observed values, never interpolated', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(spreadOf(values)).toEqual({ samples: 100, p50: 50, p99: 99, max: 100 });
    expect(spreadOf([7])).toEqual({ samples: 1, p50: 7, p99: 7, max: 7 });
    expect(spreadOf([])).toBeNull();
  });

  it('a series keeps each key\'s worst staleness per second, counted from the measured run\'s start', () => {
    const record = new FreshnessRecord();
    const origin = 10_000;
    for (const [time, stalenessMs] of [[9_500, 3], [10_100, 5], [10_900, 40], [11_200, 2]] as const) record.add({ key: 'seattle->central', time, stalenessMs });
    record.add({ key: 'boston->central', time: 10_050, stalenessMs: 1 });
    expect(record.series(['seattle->central', 'boston->central'], origin)).toEqual([
      { time: -1, region: 'seattle->central', maxMs: 3 },
      { time: 0, region: 'boston->central', maxMs: 1 },
      { time: 0, region: 'seattle->central', maxMs: 40 },
      { time: 1, region: 'seattle->central', maxMs: 2 },
    ]);
    expect(record.spreads(['seattle->central', 'denver->central'])).toEqual({
      'seattle->central': { samples: 4, p50: 3, p99: 40, max: 40 },
      'denver->central': null,
    });
  });

  it('joins the central-completeness counts when the check ran, and leaves other runs alone', () => {
    const regional = { central: null, publishedTables: [], regions: [], freshnessMs: {}, freshnessSeries: [], replicaStalenessMs: {} } satisfies RegionalCentralResults;
    const counts = { acknowledged: 3, onCentral: 3 };
    const results = { checks: { 'central-completeness': { verdict: 'valid', counts, examples: [], explanation: '' } } } as unknown as RunResults;
    expect(withRegionalCentral(results, regional).regionalCentral).toEqual({ ...regional, completeness: counts });
    expect(withRegionalCentral(results, undefined)).toBe(results);
  });
});
