import type { CheckName } from '../scenario/schema.ts';
import type { RegionalCheckName } from '../scenario/regional-central-schema.ts';
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

const CHECKERS: Record<CheckName | RegionalCheckName, Checker> = {
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

/** Runs each named checker; a checker that throws yields 'unknown' and never stops the run. */
export async function runChecks(names: readonly (CheckName | RegionalCheckName)[], ctx: CheckContext): Promise<Record<string, CheckResult>> {
  const results: Record<string, CheckResult> = {};
  for (const name of names) {
    try {
      results[name] = await CHECKERS[name].check(ctx);
    } catch (error) {
      results[name] = {
        verdict: 'unknown',
        counts: {},
        examples: [],
        explanation: `the checker could not finish: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  return results;
}
