import { formatDuration } from '../units/duration.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from '../results/results-types.ts';

// The fault timeline as it happened, next to the failovers it caused: the context every
// consistency verdict below has to be read in. Times are from the start of the measured run.

const at = (ms: number | undefined) => (ms === undefined ? 'end of run' : formatDuration(Math.max(0, ms)));

export function renderFaultsMd(results: RunResults): string {
  if (results.faults.length === 0 && results.failovers.length === 0) return '';
  const parts = ['## Faults'];
  if (results.faults.length === 0) parts.push('No fault was injected.');
  else {
    const rows = results.faults.map((f) => [
      String(f.id),
      mdText(f.kind),
      mdText(f.targets.join(', ') || '–'),
      at(f.startMs),
      at(f.endMs),
      f.error ? mdText(`failed: ${f.error}`) : '',
    ]);
    parts.push(mdTable(['#', 'Fault', 'Targets', 'Start', 'Healed', 'Note'], rows, ['right', 'left', 'left', 'right', 'right', 'left']));
  }
  if (results.failovers.length > 0) {
    const rows = results.failovers.map((f) => [
      mdText(f.from),
      mdText(f.to),
      at(f.detectedAtMs),
      at(f.promotedAtMs),
      formatDuration(Math.max(0, f.promotedAtMs - f.detectedAtMs)),
    ]);
    parts.push('### Failovers', mdTable(['From', 'To', 'Detected', 'Promoted', 'Promotion took'], rows, ['left', 'left', 'right', 'right', 'right']));
  }
  return parts.join('\n\n');
}
