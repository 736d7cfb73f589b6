import { formatDuration } from '../units/duration.ts';
import type { RunResults } from '../results/results-types.ts';

// One sentence, for report.md and report.html alike: how far the load ran past workload.duration
// and why (run/extend-load.ts), so a reader knows recovery after the last heal was observed.

const REASONS = {
  'not-needed': 'every fault had healed in time, with load tried after the last heal',
  recovered: 'load went on until every fault had healed and enough load was tried after the last heal',
  'max-extension': 'stopped at the maximum extension: recovery after the last heal may not have been observed',
  stopped: 'the run was stopped during the extension',
} as const;

export function extensionText(results: RunResults): string | undefined {
  const extension = results.run.extension;
  if (extension === undefined) return undefined;
  const { policy } = extension;
  const after =
    extension.lastHealMs === undefined
      ? ''
      : `; last heal at ${formatDuration(extension.lastHealMs)}, ${extension.writesAfterLastHeal ?? 0} writes tried after it`;
  return (
    `${formatDuration(extension.extendedMs)} past the planned ${formatDuration(results.resolvedScenario.workload.duration)}: ` +
    `${REASONS[extension.reason]}${after} (policy: ${policy.writes} writes and ${formatDuration(policy.durationMs)} after the last heal, ` +
    `at most ${formatDuration(policy.maxExtensionMs)} more)${extension.faultsInForce ? '; faults were still in force when the load stopped' : ''}`
  );
}
