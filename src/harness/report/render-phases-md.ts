import { formatDuration } from '../units/duration.ts';
import { formatCount } from './format-number.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from '../results/results-types.ts';

// Where the wall time went. Kept in run order: a failed run's last phase is where it stopped.

export function renderPhasesMd(results: RunResults): string {
  const phases = Object.entries(results.run.phasesMs);
  if (phases.length === 0) return '## Phases\n\nNo phase completed.';
  const rows = phases.map(([phase, ms]) => [mdText(phase), formatDuration(ms), formatCount(ms)]);
  return `## Phases\n\n${mdTable(['Phase', 'Duration', 'ms'], rows, ['left', 'right', 'right'])}`;
}
