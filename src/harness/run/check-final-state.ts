import type { EngineRun } from '../../engines/engine.ts';
import type { CheckResult } from '../checker/checker-types.ts';
import { runChecks } from '../checker/run-checks.ts';
import type { Scenario } from '../scenario/schema.ts';
import { assignClientRegions } from '../regions/client-regions.ts';

/**
 * Runs the scenario's checkers over the history and the final state, after heal and quiesce: the
 * engine reads every node it can (naming those it cannot, with why: the checks that needed them
 * say unknown), the one check runner judges. `workers`: how many client workers the driver ran;
 * with regions, the checks also count per client region.
 */
export async function checkFinalState(scenario: Scenario, run: Pick<EngineRun, 'readFinalState'>, historyPath: string, workers?: number): Promise<Record<string, CheckResult>> {
  await using state = await run.readFinalState(historyPath);
  // The driver's own split (same regions, same worker count), so a worker's region here is the one it ran in.
  const placements = workers === undefined ? undefined : assignClientRegions(scenario.regions, workers);
  // Awaited here: the connections close when this returns.
  return await runChecks(
    scenario.checks,
    {
      ...state.context,
      historyPath,
      bounds: scenario.bounds,
      ...(placements ? { regionOfWorker: (worker: number) => placements[worker]?.region } : {}),
    },
    state.checks,
  );
}
