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

export interface CommitPointKill {
  readonly target: string;
  readonly orderId: number;
  /** Nodes holding a part of the transaction: the coordinator and the shards its rows went to. */
  readonly participants: readonly string[];
  /** plain: the shard held stopped (SIGSTOP) while the coordinator waited for its COMMIT reply. */
  readonly stalled?: string;
  /** plain: shards whose part was already committed when the target died. */
  readonly committedBeforeKill?: readonly string[];
}

export interface TwoPhaseCounts {
  started: number;
  committed: number;
  aborted: number;
  undecided: number;
  /** Branches the harness could not finish (COMMIT or ROLLBACK PREPARED failed): recovery's work. */
  leftInDoubt: number;
}
