import { OPERATION_NAMES } from '../../../scenario/schema.ts';
import type { RunResults } from '../../../results/results-types.ts';
import { digestHistory } from '../digest/digest-history.ts';
import type { ChartContext } from './chart-types.ts';

// Everything a chart builder may use, gathered once: the results, one streamed pass over the
// history, the fault timeline to shade and the operations to colour.

export async function buildChartContext(results: RunResults, historyPath: string): Promise<ChartContext> {
  const workload = results.resolvedScenario.workload;
  const digest = await digestHistory(historyPath, {
    warmupMs: workload.warmup,
    measuredMs: results.run.measuredMs,
    plannedMs: workload.duration,
  });
  const canonical = OPERATION_NAMES as readonly string[];
  const ran = new Set([...Object.keys(results.operations), ...digest.latency.map((point) => point.f)]);
  const rank = (name: string) => (canonical.includes(name) ? canonical.indexOf(name) : canonical.length);
  const operations = [...ran].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  // A run that failed during the load has no fault timeline in results.json; its history has one.
  const faults = results.faults.length > 0 ? results.faults : digest.faults;
  return { results, digest, faults, operations };
}
