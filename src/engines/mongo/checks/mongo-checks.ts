import type { Db } from 'mongodb';
import { readHistory } from '../../../harness/history/history-reader.ts';
import type { Checker, CheckResult } from '../../../harness/checker/checker-types.ts';
import type { CheckBounds } from '../../../harness/scenario/check-bounds-schema.ts';
import { evaluateConvergence } from '../../../harness/checker/convergence-checker.ts';
import type { NodeState, TableSnapshot } from '../../../harness/checker/final-state.ts';
import { evaluateInvariants } from '../../../harness/checker/invariants-checker.ts';
import { evaluateLostWrites } from '../../../harness/checker/lost-writes-checker.ts';
import { runChecks, type CheckSet } from '../../../harness/checker/run-checks.ts';
import { mongoNodeState } from './mongo-final-state.ts';
import { evaluateSessionGuarantees } from './session-guarantees-checker.ts';

// MongoDB's checks go through the one check runner (harness/checker/run-checks.ts) over its
// FinalState (mongo-final-state.ts). The history checks are the shared ones; MongoDB has its own
// lost-writes (checkouts on the final primary), convergence (each replica set against its
// primary), invariants (final-state rows only) and session-guarantees.

/** One replica set whose members must hold the same data after quiesce, and its primary (the reference). */
export interface ConvergenceGroup {
  readonly reference: string;
  readonly members: readonly string[];
}

async function convergence(nodes: Readonly<Record<string, NodeState>>, groups: readonly ConvergenceGroup[]): Promise<CheckResult> {
  const results = await Promise.all(
    groups.map(async (group) => {
      const snapshots: Record<string, Record<string, TableSnapshot>> = {};
      for (const name of group.members) snapshots[name] = await nodes[name]!.snapshot();
      return evaluateConvergence(snapshots, group.reference);
    }),
  );
  if (results.length === 1) return results[0]!;
  const verdict = results.some((r) => r.verdict === 'invalid') ? 'invalid' : results.every((r) => r.verdict === 'valid') ? 'valid' : 'unknown';
  const counts: Record<string, number> = {};
  results.forEach((r, i) => {
    for (const [key, value] of Object.entries(r.counts)) counts[`${groups[i]!.reference}.${key}`] = value;
  });
  return { verdict, counts, examples: results.flatMap((r) => r.examples).slice(0, 10), explanation: results.map((r, i) => `${groups[i]!.reference}'s replica set: ${r.explanation}`).join(' ') };
}

/** The checks MongoDB runs, and its own versions of some. */
export function mongoCheckSet(groups: readonly ConvergenceGroup[], causal: boolean): CheckSet {
  const checkers: Record<string, Checker> = {
    'lost-writes': { name: 'lost-writes', check: (ctx) => evaluateLostWrites(readHistory(ctx.historyPath), (ids) => ctx.finalState.presentOrderIds(ids)) },
    convergence: { name: 'convergence', check: (ctx) => convergence(ctx.nodeStates ?? {}, groups) },
    invariants: { name: 'invariants', check: async (ctx) => evaluateInvariants(await ctx.finalState.invariantRows()) },
    'session-guarantees': { name: 'session-guarantees', check: (ctx) => evaluateSessionGuarantees(readHistory(ctx.historyPath), { causal }) },
  };
  const supported = ['lost-writes', 'availability', 'replication-lag', 'read-your-writes', 'monotonic-reads', 'convergence', 'invariants', 'session-guarantees'];
  return { checkers, supported, engine: 'MongoDB' };
}

export interface MongoCheckContext {
  readonly historyPath: string;
  /** The authoritative copy: the replica set's primary, or the cluster through mongos. */
  readonly finalState: Db;
  /** Each replica set, its members by name. */
  readonly groups: readonly { readonly reference: string; readonly members: Readonly<Record<string, Db>> }[];
  readonly causal: boolean;
  /** The scenario's explicit bounds (defaults when omitted), as for PostgreSQL runs. */
  readonly bounds?: CheckBounds;
}

/**
 * The scenario's checks against a MongoDB run's databases: the one runner over MongoDB's final
 * state. A checker that throws gives `unknown` and never stops the run.
 */
export function runMongoChecks(names: readonly string[], ctx: MongoCheckContext): Promise<Record<string, CheckResult>> {
  const nodeStates: Record<string, NodeState> = {};
  for (const group of ctx.groups) for (const [name, db] of Object.entries(group.members)) nodeStates[name] = mongoNodeState(db);
  const groups = ctx.groups.map((group) => ({ reference: group.reference, members: Object.keys(group.members) }));
  return runChecks(names, { historyPath: ctx.historyPath, finalState: mongoNodeState(ctx.finalState), nodeStates, ...(ctx.bounds ? { bounds: ctx.bounds } : {}) }, mongoCheckSet(groups, ctx.causal));
}
