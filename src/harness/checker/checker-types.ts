import type { CheckBounds } from '../scenario/check-bounds-schema.ts';
import type { NodeState } from './final-state.ts';

// The Checker protocol: history (a file, streamed) and final state (the FinalState port, final-state.ts) in, verdict out.
// A checker that throws is turned into 'unknown' by the runner; it never kills the run.

export type Verdict = 'valid' | 'invalid' | 'unknown';

export interface CheckResult {
  readonly verdict: Verdict;
  readonly counts: Record<string, number>;
  /** A few concrete anomalies, enough for a person to look them up. */
  readonly examples: readonly unknown[];
  /** Plain-language explanation of the verdict (teaching mode). */
  readonly explanation: string;
  /** The bound the verdict was judged against, as applied (e.g. { maxStalenessMs: 1000 }). */
  readonly bound?: Readonly<Record<string, number | string>>;
  /** What the verdict covered (e.g. { readsJudged: 900, reads: 1000, nodesRead: 3, nodes: 3 }). */
  readonly coverage?: Readonly<Record<string, number | string>>;
}

export interface CheckContext {
  readonly historyPath: string;
  /** The scenario's explicit bounds (scenario field `bounds`, defaults applied). */
  readonly bounds?: CheckBounds;
  /** The node holding the authoritative final state (the primary), read through its engine (final-state.ts). */
  readonly finalState: NodeState;
  /** After heal and quiesce: every running node's final state, keyed by node name (primary included). */
  readonly nodeStates?: Readonly<Record<string, NodeState>>;
  /** Nodes that could not be read at final-state time, with why (not running, refused the connection): never silently fewer nodes. */
  readonly unreadableNodes?: Readonly<Record<string, string>>;
  /** Every node of the topology, reachable or not: tells a node that is down from one that never existed. */
  readonly nodeNames?: readonly string[];
  /** The current primary's node name: the reference copy for convergence. */
  readonly primaryNode?: string;
  /**
   * Topologies whose nodes hold different rows by design (pg-partitioned): convergence compares
   * each copy with its own source, on the source's tables only, instead of every node with the primary.
   */
  readonly copyComparisons?: readonly CopyComparison[];
  /**
   * The client region of each worker, when the scenario declares regions: client-facing checks
   * then also count per region (`lost@eu-west`). Verdicts stay global.
   */
  readonly regionOfWorker?: (worker: number) => string | undefined;
}

/** A source node and the copies that must hold exactly its rows of `tables` (table → key columns, the hashing order). */
export interface CopyComparison {
  readonly source: string;
  readonly copies: readonly string[];
  readonly tables: Readonly<Record<string, readonly string[]>>;
}

export interface Checker {
  readonly name: string;
  check(ctx: CheckContext): Promise<CheckResult>;
}
