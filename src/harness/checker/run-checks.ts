import type { CheckContext, CheckResult, Checker } from './checker-types.ts';
import { atomicityChecker } from './atomicity-checker.ts';
import { availabilityChecker } from './availability-checker.ts';
import { centralCompletenessChecker } from './central-completeness-checker.ts';
import { convergenceChecker } from './convergence-checker.ts';
import { invariantsChecker } from './invariants-checker.ts';
import { lostWritesChecker } from './lost-writes-checker.ts';
import { monotonicReadsChecker } from './monotonic-reads-checker.ts';
import { readYourWritesChecker } from './read-your-writes-checker.ts';
import { replicationLagChecker } from './replication-lag-checker.ts';

const CHECKERS: Readonly<Record<string, Checker>> = {
  'lost-writes': lostWritesChecker,
  availability: availabilityChecker,
  'replication-lag': replicationLagChecker,
  'read-your-writes': readYourWritesChecker,
  'monotonic-reads': monotonicReadsChecker,
  convergence: convergenceChecker,
  invariants: invariantsChecker,
  atomicity: atomicityChecker,
  'central-completeness': centralCompletenessChecker,
};

/**
 * Which nodes each final-state check reads: every node, or the authoritative copy (the primary).
 * The other checks judge the history alone.
 */
const FINAL_STATE_NEEDS: Readonly<Record<string, 'all' | 'primary'>> = {
  'lost-writes': 'all',
  convergence: 'all',
  'central-completeness': 'all',
  invariants: 'primary',
  atomicity: 'primary',
};

/** The nodes a check needed that could not be read, with why. */
function missingFor(name: string, ctx: CheckContext): [string, string][] {
  const needs = FINAL_STATE_NEEDS[name];
  const unreadable = Object.entries(ctx.unreadableNodes ?? {});
  if (needs === undefined || unreadable.length === 0) return [];
  return needs === 'all' ? unreadable : unreadable.filter(([node]) => node === (ctx.primaryNode ?? 'primary'));
}

/**
 * A final-state check that needed a node it could not read cannot be valid: it becomes unknown,
 * naming the node and why (an invalid verdict stands: what was read already shows the anomaly).
 */
function withMissingNodes(result: CheckResult, missing: readonly [string, string][]): CheckResult {
  if (missing.length === 0) return result;
  // The checker already judged without them and said so: nothing to add.
  if (result.verdict !== 'valid' && missing.every(([node]) => result.explanation.includes(node))) return result;
  const named = missing.map(([node, why]) => `${node} (${why})`).join('; ');
  const coverage = { ...result.coverage, nodesUnreadable: missing.length, unreadable: missing.map(([node]) => node).join(', ') };
  if (result.verdict === 'invalid') return { ...result, coverage, explanation: `${result.explanation} Not read at final-state time: ${named}.` };
  return {
    ...result,
    verdict: 'unknown',
    coverage,
    explanation: `Unknown: ${named} could not be read at final-state time, and this check needed ${missing.length === 1 ? 'it' : 'them'}. ${result.explanation}`,
  };
}

/** What an engine checks with: its own checkers (or its versions of shared ones) and which checks it can run at all. */
export interface CheckSet {
  readonly checkers?: Readonly<Record<string, Checker>>;
  /** The checks the engine can run; any other name is unknown, naming the engine. Every shared check when omitted. */
  readonly supported?: readonly string[];
  /** The engine's name for that explanation ("MongoDB"). */
  readonly engine?: string;
}

/**
 * The one check runner, for every engine: runs each named checker over the history and the
 * final state (the FinalState port); a checker that throws yields 'unknown' and never stops the run.
 */
export async function runChecks(names: readonly string[], ctx: CheckContext, set: CheckSet = {}): Promise<Record<string, CheckResult>> {
  const results: Record<string, CheckResult> = {};
  for (const name of names) {
    let result: CheckResult;
    try {
      const checker = set.supported && !set.supported.includes(name) ? undefined : (set.checkers?.[name] ?? CHECKERS[name]);
      if (!checker) throw new Error(`no ${set.engine ?? 'PostgreSQL'} implementation of ${name}`);
      result = await checker.check(ctx);
    } catch (error) {
      result = {
        verdict: 'unknown',
        counts: {},
        examples: [],
        explanation: `the checker could not finish: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    results[name] = withMissingNodes(result, missingFor(name, ctx));
  }
  return results;
}
