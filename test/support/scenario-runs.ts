import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runScenario, type RunOutcome } from '../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../src/harness/scenario/load-scenario.ts';

/**
 * For test files that run whole scenario files on real servers (the known answers): registers a
 * temporary reports root for the calling file (FAULTLINE_KEEP_REPORTS=1 keeps it to look into a
 * failure) and returns a runner that loads a scenario file with `sets` applied (as --set does),
 * runs it, and asserts the run completed.
 */
export function scenarioRuns(prefix: string, sets: readonly string[] = []): (file: string) => Promise<RunOutcome> {
  let out = '';
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), `${prefix}-`));
  });
  afterAll(async () => {
    if (process.env.FAULTLINE_KEEP_REPORTS) console.log(`scenario reports kept in ${out}`);
    else await rm(out, { recursive: true, force: true });
  });
  return async (file) => {
    const { scenario } = await loadScenario(file, sets);
    // What the run says goes nowhere, except what went wrong on the way (a fault that could not
    // be healed, a node that could not be recovered): in CI that line is all there is to go on.
    const print = (line: string) => {
      if (/could not|failed/i.test(line)) console.log(`${file}: ${line.trim()}`);
    };
    const outcome = await runScenario(scenario, { reportsRoot: out, print });
    expect(outcome.results.run.status, outcome.results.run.error).toBe('completed');
    return outcome;
  };
}
