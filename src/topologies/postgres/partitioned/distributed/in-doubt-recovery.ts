// Recovery of in-doubt transactions: what a transaction manager does when it (or a participant)
// comes back. Every node is asked for the harness's prepared transactions (pg_prepared_xacts);
// one whose gid is in the decision log is committed, any other rolled back (presumed abort: the
// coordinator logs only commits, and never logs one before every branch has prepared). Gids
// whose transaction manager is still at work are left alone: it will finish them itself.

export interface PreparedXact {
  readonly node: string;
  readonly gid: string;
}

export interface RecoveryPlan {
  readonly commit: readonly PreparedXact[];
  readonly rollback: readonly PreparedXact[];
}

export function planRecovery(prepared: readonly PreparedXact[], inFlight: ReadonlySet<string>, decided: ReadonlySet<string>): RecoveryPlan {
  const settled = prepared.filter((x) => !inFlight.has(x.gid));
  return { commit: settled.filter((x) => decided.has(x.gid)), rollback: settled.filter((x) => !decided.has(x.gid)) };
}

/** The real servers behind recovery; a fake in unit tests. */
export interface RecoverySource {
  /** The harness's prepared transactions on every node that can be reached now. */
  listPrepared(): Promise<PreparedXact[]>;
  /** Which gids the decision log says committed; throws when the log cannot be read. */
  decided(gids: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * COMMIT or ROLLBACK PREPARED; false when nothing was prepared under that gid any more (its
   * transaction manager finished it after the listing was taken).
   */
  finish(xact: PreparedXact, commit: boolean): Promise<boolean>;
}

export interface RecoveryCounts {
  /** Distinct prepared transactions recovery found left behind by a finished checkout. */
  readonly inDoubt: number;
  readonly committed: number;
  readonly rolledBack: number;
  /** Found but still prepared (the decision log or the node could not be reached). */
  readonly unresolved: number;
  readonly passes: number;
}

const keyOf = (x: PreparedXact) => `${x.node}\u0000${x.gid}`;

export class InDoubtRecovery {
  private readonly found = new Set<string>();
  private readonly finished = new Set<string>();
  private committed = 0;
  private rolledBack = 0;
  private passes = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: RecoverySource,
    private readonly inFlight: ReadonlySet<string>,
  ) {}

  /** One pass; passes never overlap (two nodes coming back at once queue). Never throws. */
  run(): Promise<void> {
    this.chain = this.chain.then(() => this.pass().catch(() => undefined));
    return this.chain;
  }

  private async pass(): Promise<void> {
    this.passes++;
    const prepared = (await this.source.listPrepared()).filter((x) => !this.inFlight.has(x.gid));
    if (prepared.length === 0) return;
    for (const x of prepared) this.found.add(keyOf(x));
    const decided = await this.source.decided([...new Set(prepared.map((x) => x.gid))]);
    const plan = planRecovery(prepared, this.inFlight, decided);
    const finish = async (x: PreparedXact, commit: boolean) => {
      let existed: boolean;
      try {
        existed = await this.source.finish(x, commit);
      } catch {
        return; // still prepared: a later pass tries again
      }
      // A stale listing: it was never left in doubt.
      if (!existed) return void this.found.delete(keyOf(x));
      this.finished.add(keyOf(x));
      if (commit) this.committed++;
      else this.rolledBack++;
    };
    await Promise.all([...plan.commit.map((x) => finish(x, true)), ...plan.rollback.map((x) => finish(x, false))]);
  }

  counts(): RecoveryCounts {
    return {
      inDoubt: this.found.size,
      committed: this.committed,
      rolledBack: this.rolledBack,
      unresolved: [...this.found].filter((key) => !this.finished.has(key)).length,
      passes: this.passes,
    };
  }
}
