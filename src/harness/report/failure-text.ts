import type { RunResults } from '../results/results-types.ts';

/** Why a report opens with a warning: undefined for a clean run. Shared by report.md and report.html. */
export function failureLead(results: RunResults): string | undefined {
  const { status, error } = results.run;
  if (results.run.partial) {
    return 'PARTIAL: the harness stopped before it wrote this report (killed). The figures below were summarised afterwards from what it recorded; no check ran.';
  }
  if (status === 'completed' && error === undefined) return undefined;
  if (status === 'failed') return 'This run failed. The figures below are what was measured before it stopped.';
  if (status === 'interrupted') return 'This run was interrupted. The figures below are what was measured before it stopped.';
  return 'The run completed, but reported an error:';
}

export const NO_ERROR_MESSAGE = 'No error message was recorded.';
