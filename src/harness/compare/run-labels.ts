import { shortPath, formatValue } from './variant-label.ts';
import { parsePath } from '../scenario/dotted-path.ts';
import type { RunResults } from '../results/results-types.ts';
import { scenarioDifferences } from './scenario-differences.ts';

// Column headings for runs that were not labelled by a matrix: named by what sets them apart
// ("replication=sync"), as matrix variants are; by run id when their scenarios are identical.

export interface LabelSource {
  readonly results: RunResults;
  /** A label already given (a matrix variant's), kept as it is. */
  readonly label?: string;
}

// A heading naming more fields than this is no longer readable; the runs table lists them all.
const MAX_FIELDS = 3;
const MAX_VALUE = 32;
// Prose says nothing a heading can use; the scenario's name, when it differs, says the most.
const NOT_IN_LABELS = new Set(['description']);

export function runLabels(runs: readonly LabelSource[]): string[] {
  const differences = scenarioDifferences(runs.map((run) => run.results.resolvedScenario))
    .filter((d) => !NOT_IN_LABELS.has(d.path))
    .sort((a, b) => Number(b.path === 'name') - Number(a.path === 'name'))
    .slice(0, MAX_FIELDS);
  const names = differences.map((d) => {
    const path = parsePath(d.path);
    return path ? shortPath(path) : d.path;
  });
  const labels = runs.map((run, i) => {
    if (run.label !== undefined) return run.label;
    if (differences.length === 0) return run.results.run.id;
    return differences.map((d, f) => `${names[f]}=${clip(formatValue(d.values[i]))}`).join(',');
  });
  // Two runs of the same variant (a rerun) must still get columns a reader can tell apart.
  return labels.map((label, i) =>
    labels.indexOf(label) === labels.lastIndexOf(label) || label === runs[i]!.results.run.id ? label : `${label} (${runs[i]!.results.run.id})`,
  );
}

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
