import type { OperationStats, RunResults } from '../../../harness/results/results-types.ts';
import type { OperationName } from '../../../harness/scenario/schema.ts';
import type { PlacementReport } from '../../faultable-topology.ts';

// Folds what the shards measured into results.json: `shards`, `skew`, the per-second series,
// and each operation's `fanout` beside its latency; `partitionedLayout` when replicas, reference
// copies or column groups exist. Runs without shards are returned unchanged.

export interface PlacementResults extends PlacementReport {
  readonly fanout: Partial<Record<OperationName, number>>;
}

export function withPlacement(results: RunResults, placement: PlacementResults | undefined): RunResults {
  if (!placement) return results;
  const operations: Partial<Record<OperationName, OperationStats>> = {};
  for (const [name, stats] of Object.entries(results.operations) as [OperationName, OperationStats][]) {
    const fanout = placement.fanout[name];
    operations[name] = fanout === undefined ? stats : { ...stats, fanout };
  }
  const layout = placement.layout ? { partitionedLayout: placement.layout } : {};
  return { ...results, operations, shards: placement.shards, skew: placement.skew, shardSeries: placement.series, ...layout };
}
