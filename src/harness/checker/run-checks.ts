import type { CheckName } from '../scenario/schema.ts';
import type { CheckContext, CheckResult, Checker } from './checker-types.ts';
import { invariantsChecker } from './invariants-checker.ts';

const CHECKERS: Partial<Record<CheckName, Checker>> = {
  invariants: invariantsChecker,
};

/** Runs each named checker; a checker that throws yields 'unknown' and never stops the run. */
export async function runChecks(names: readonly CheckName[], ctx: CheckContext): Promise<Record<string, CheckResult>> {
  const results: Record<string, CheckResult> = {};
  for (const name of names) {
    const checker = CHECKERS[name];
    if (!checker) continue;
    try {
      results[name] = await checker.check(ctx);
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
