import type { ConflictResolution } from '../../../harness/scenario/schema.ts';
import type { ConflictReport } from './conflict-log.ts';
import type { Divergence } from './leader-divergence.ts';
import type { LagSpread } from './leader-lag-sampler.ts';

/** results.json `multiLeader`: what bidirectional replication did during the run. */
export interface MultiLeaderResults {
  readonly conflictResolution: ConflictResolution;
  readonly leaders: readonly string[];
  /** Counted from the leaders' server logs, where pglogical reports every conflict it resolves. */
  readonly conflicts: ConflictReport;
  /** Staleness per direction ("us-east->eu-west": eu-west's copy of us-east's writes), from heartbeats. */
  readonly lagMs: Record<string, LagSpread>;
  /**
   * From the end of the load (every fault healed) until every leader had applied every other's
   * writes; null when that did not happen within the quiesce bound.
   */
  readonly catchUpMs: number | null;
  /** catchUpMs when the leaders then held the same rows; null when they did not converge. */
  readonly convergenceMs: number | null;
  /** Rows the leaders still disagree on after catching up. */
  readonly divergence: Divergence;
}
