import { isOutcomeUnknown } from '../../../../harness/workload/ecommerce/classify-error.ts';
import type { TwoPhaseCounts } from '../../../../harness/results/distributed-commit-results.ts';

export type { TwoPhaseCounts };

// The harness as transaction manager: two-phase commit with presumed abort.
//   1. every branch (one per participant node) does its writes and PREPARE TRANSACTION gid;
//   2. all said yes: the decision is logged durably on the coordinator node (the commit point);
//      any no, or no decision: the transaction is aborted, whatever is still prepared anywhere;
//   3. COMMIT PREPARED on every branch. One that cannot be reached stays prepared, "in doubt",
//      until recovery (in-doubt-recovery.ts) finds it and finishes it as the decision log says.
// Written against small interfaces so the protocol's every turn is unit-tested with fakes.

export type Vote =
  | { readonly prepared: true }
  /**
   * refusal: the branch's own "no" (out-of-stock); error: anything else. maybePrepared: PREPARE
   * was sent and its reply lost, so it may have happened.
   */
  | { readonly prepared: false; readonly maybePrepared: boolean; readonly refusal?: string; readonly error?: unknown };

export interface Branch {
  readonly node: string;
  /** BEGIN, the branch's writes, PREPARE TRANSACTION gid. Never throws: problems are a vote. */
  prepare(gid: string): Promise<Vote>;
  commitPrepared(gid: string): Promise<void>;
  /** Succeeds when nothing is prepared under gid any more (including when PREPARE never happened). */
  rollbackPrepared(gid: string): Promise<void>;
  /** Gives the branch's session back (or drops it after an error). */
  release(): void;
}

export interface DecisionLog {
  /** Durably records "commit" for gid; its success is the transaction's commit point. */
  record(gid: string): Promise<void>;
}

export type TwoPhaseOutcome =
  | { readonly outcome: 'committed'; readonly inDoubt: readonly string[] }
  | { readonly outcome: 'aborted'; readonly refusal?: string; readonly error?: unknown; readonly inDoubt: readonly string[] }
  /** The decision write's reply was lost: committed or not, recovery reads the log. */
  | { readonly outcome: 'unknown'; readonly error: unknown };

export interface TwoPhaseHooks {
  /** Where the decision goes (a session on the coordinator node). */
  readonly decisions: DecisionLog;
  /** Called once every branch is prepared, before the decision: the fault's window. */
  atCommitPoint(participants: readonly string[]): Promise<void>;
}

const mayBePrepared = (vote: Vote) => vote.prepared || vote.maybePrepared;
const settle = <T>(promise: Promise<T>) => promise.then(() => true, () => false);

export class TwoPhaseCommit {
  readonly counts: TwoPhaseCounts = { started: 0, committed: 0, aborted: 0, undecided: 0, leftInDoubt: 0 };
  /** Gids whose transaction manager is still at work: recovery must not touch them. */
  readonly inFlight = new Set<string>();

  async run(gid: string, branches: readonly Branch[], hooks: TwoPhaseHooks): Promise<TwoPhaseOutcome> {
    this.counts.started++;
    this.inFlight.add(gid);
    try {
      const votes = await Promise.all(branches.map((branch) => branch.prepare(gid)));
      const no = votes.find((vote): vote is Extract<Vote, { prepared: false }> => !vote.prepared);
      if (no) {
        const inDoubt = await this.rollBack(gid, branches.filter((_, i) => mayBePrepared(votes[i]!)));
        this.counts.aborted++;
        return { outcome: 'aborted', inDoubt, ...(no.refusal === undefined ? {} : { refusal: no.refusal }), ...(no.error === undefined ? {} : { error: no.error }) };
      }
      await hooks.atCommitPoint(branches.map((b) => b.node));
      try {
        await hooks.decisions.record(gid);
      } catch (error) {
        if (isOutcomeUnknown(error)) {
          // Rolling back now could undo a commit that did get logged: only the log can say.
          this.counts.undecided++;
          this.counts.leftInDoubt += branches.length;
          return { outcome: 'unknown', error };
        }
        const inDoubt = await this.rollBack(gid, branches);
        this.counts.aborted++;
        return { outcome: 'aborted', error, inDoubt };
      }
      const done = await Promise.all(branches.map((branch) => settle(branch.commitPrepared(gid))));
      const inDoubt = branches.filter((_, i) => !done[i]).map((b) => b.node);
      this.counts.committed++;
      this.counts.leftInDoubt += inDoubt.length;
      return { outcome: 'committed', inDoubt };
    } finally {
      this.inFlight.delete(gid);
      for (const branch of branches) branch.release();
    }
  }

  /** Presumed abort: no decision was logged, so every prepared branch may be rolled back. */
  private async rollBack(gid: string, prepared: readonly Branch[]): Promise<string[]> {
    const done = await Promise.all(prepared.map((branch) => settle(branch.rollbackPrepared(gid))));
    const inDoubt = prepared.filter((_, i) => !done[i]).map((b) => b.node);
    this.counts.leftInDoubt += inDoubt.length;
    return inDoubt;
  }
}
