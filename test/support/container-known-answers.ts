import { expect } from 'vitest';
import type { RunResults } from '../../src/harness/results/results-types.ts';
import { scenarioRuns } from './scenario-runs.ts';

// What the container known-answer files share: the known answers from the very scenario files the
// local runs use, with only the provider switched (as `--provider containers` does). Each scenario
// runs once in `npm test`; FAULTLINE_CONTAINER_REPEAT=3 runs each three times (the "3 of 3").

const REPEAT = Math.max(1, Number(process.env.FAULTLINE_CONTAINER_REPEAT ?? 1));
/** Run numbers for it.each: [1] in the suite, [1, 2, 3] with FAULTLINE_CONTAINER_REPEAT=3. */
export const TRIES = Array.from({ length: REPEAT }, (_, i) => i + 1);

// Provision in containers takes 30-60 s on a loaded 2-core machine (initdb, base backups), then
// the scenario's own load, a killed node's restart and rewind, quiesce and checks.
export const TIMEOUT_MS = 420_000;

export const verdict = (results: RunResults, check: string) => results.checks[check]?.verdict;

/** A runner for the calling test file: the scenario file in containers, on the project image. */
export function containerKnownAnswers(prefix: string): (file: string) => Promise<RunResults> {
  const runs = scenarioRuns(prefix, ['provider.kind=containers']);
  return async (file) => {
    const { results } = await runs(file);
    // One line per run, so that a failure in CI (where the reports are gone) shows where the time
    // went and what each check said.
    const checks = Object.entries(results.checks).map(([name, check]) => `${name} ${check?.verdict}`).join(', ');
    console.log(`${file}: phases ${JSON.stringify(results.run.phasesMs)}; failovers ${results.failovers?.length ?? 0}; ${checks}`);
    for (const [name, check] of Object.entries(results.checks)) if (check?.verdict === 'unknown') console.log(`  ${name}: ${check.explanation}`);
    expect(results.environment.provider?.kind).toBe('containers');
    expect(results.environment.provider?.image?.id).toMatch(/^sha256:/);
    return results;
  };
}
