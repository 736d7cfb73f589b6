import type { CommitPointKill } from './commit-point.ts';
import type { TwoPhaseCounts } from './two-phase-commit.ts';

// What results.json says about distributed checkouts on pg-partitioned (`distributedCommit`).

export type DistributedCommitMode = 'plain' | '2pc';

export interface DistributedCommitResults {
  readonly mode: DistributedCommitMode;
  /** 2pc: prepared transactions recovery found left behind (a participant or the coordinator died between PREPARE and COMMIT PREPARED). */
  readonly inDoubt: number;
  /** Of those: committed because the decision log had the commit. */
  readonly committed: number;
  /** Of those: rolled back because it had none (presumed abort). */
  readonly rolledBack: number;
  /** Of those: still prepared after the last recovery pass. */
  readonly unresolved: number;
  /** Recovery passes: one each time a node came back, and one before the checks. */
  readonly recoveryPasses: number;
  /** 2pc: how the harness, as coordinator, ended the checkouts it ran. */
  readonly transactions?: Readonly<TwoPhaseCounts>;
  /** Each `kill ... during: commit` as it landed. */
  readonly commitPointKills: readonly CommitPointKill[];
}
