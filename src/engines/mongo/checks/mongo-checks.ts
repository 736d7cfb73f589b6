import type { Db } from 'mongodb';
import { readHistory } from '../../../harness/history/history-reader.ts';
import { COLLECTIONS } from '../workload/documents.ts';
import { evaluateAvailability } from '../../../harness/checker/availability-checker.ts';
import type { CheckResult } from '../../../harness/checker/checker-types.ts';
import type { CheckBounds } from '../../../harness/scenario/check-bounds-schema.ts';
import { evaluateConvergence } from '../../../harness/checker/convergence-checker.ts';
import { evaluateInvariants } from '../../../harness/checker/invariants-checker.ts';
import { evaluateLostWrites } from '../../../harness/checker/lost-writes-checker.ts';
import { collectionSnapshots, presentOrderIds, readMongoInvariantRows } from './mongo-final-state.ts';
import { evaluateSessionGuarantees } from './session-guarantees-checker.ts';
import { evaluateMonotonicReads } from '../../../harness/checker/monotonic-reads-checker.ts';
import { evaluateReadYourWrites } from '../../../harness/checker/read-your-writes-checker.ts';
import { evaluateReplicationLag } from '../../../harness/checker/replication-lag-checker.ts';
import type { TableSnapshot } from '../../../harness/checker/table-snapshot-pg.ts';

/** One replica set whose members must hold the same data after quiesce, and its primary (the reference). */
export interface ConvergenceGroup {
  readonly reference: string;
  readonly members: Readonly<Record<string, Db>>;
}

export interface MongoCheckContext {
  readonly historyPath: string;
  /** The authoritative copy: the replica set's primary, or the cluster through mongos. */
  readonly finalState: Db;
  readonly groups: readonly ConvergenceGroup[];
  readonly causal: boolean;
  /** The scenario's explicit bounds (defaults when omitted), as for PostgreSQL runs. */
  readonly bounds?: CheckBounds;
}

async function convergence(groups: readonly ConvergenceGroup[]): Promise<CheckResult> {
  const results = await Promise.all(
    groups.map(async (group) => {
      const snapshots: Record<string, Record<string, TableSnapshot>> = {};
      for (const [name, db] of Object.entries(group.members)) snapshots[name] = await collectionSnapshots(db, COLLECTIONS);
      return evaluateConvergence(snapshots, group.reference);
    }),
  );
  if (results.length === 1) return results[0]!;
  const verdict = results.some((r) => r.verdict === 'invalid') ? 'invalid' : results.every((r) => r.verdict === 'valid') ? 'valid' : 'unknown';
  const counts: Record<string, number> = {};
  results.forEach((r, i) => Object.entries(r.counts).forEach(([key, value]) => (counts[`${groups[i]!.reference}.${key}`] = value)));
  return { verdict, counts, examples: results.flatMap((r) => r.examples).slice(0, 10), explanation: results.map((r, i) => `${groups[i]!.reference}'s replica set: ${r.explanation}`).join(' ') };
}

const CHECKS: Record<string, (ctx: MongoCheckContext) => Promise<CheckResult>> = {
  'lost-writes': (ctx) => evaluateLostWrites(readHistory(ctx.historyPath), (ids) => presentOrderIds(ctx.finalState, ids)),
  availability: (ctx) => evaluateAvailability(readHistory(ctx.historyPath), ctx.bounds?.availability),
  'replication-lag': (ctx) => evaluateReplicationLag(readHistory(ctx.historyPath), ctx.bounds?.['replication-lag']),
  'read-your-writes': (ctx) => evaluateReadYourWrites(readHistory(ctx.historyPath)),
  'monotonic-reads': (ctx) => evaluateMonotonicReads(readHistory(ctx.historyPath)),
  convergence: (ctx) => convergence(ctx.groups),
  invariants: async (ctx) => evaluateInvariants(await readMongoInvariantRows(ctx.finalState)),
  'session-guarantees': (ctx) => evaluateSessionGuarantees(readHistory(ctx.historyPath), { causal: ctx.causal }),
};

/**
 * The scenario's checks against a MongoDB run: the history checkers are the very ones PostgreSQL
 * runs use; the final state is read from MongoDB into the same shapes. A checker that throws
 * gives `unknown` and never stops the run.
 */
export async function runMongoChecks(names: readonly string[], ctx: MongoCheckContext): Promise<Record<string, CheckResult>> {
  const results: Record<string, CheckResult> = {};
  for (const name of names) {
    const check = CHECKS[name];
    try {
      if (!check) throw new Error(`no MongoDB implementation of ${name}`);
      results[name] = await check(ctx);
    } catch (error) {
      results[name] = { verdict: 'unknown', counts: {}, examples: [], explanation: `the checker could not finish: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return results;
}
