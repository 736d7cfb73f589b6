import { formatDuration } from '../../../units/duration.ts';
import type { FaultRecord, RunResults } from '../../../results/results-types.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlTable } from './html-table.ts';

// The fault timeline as it happened, next to the failovers it caused: the context every
// consistency verdict has to be read in. Times are from the start of the measured run, the
// clock of every chart's time axis.

const at = (ms: number | undefined) => (ms === undefined ? 'end of run' : formatDuration(Math.max(0, ms)));

/** `faults` may come from the history when results.json has none (a run that failed mid-load). */
export function renderFaultsHtml(results: RunResults, faults: readonly FaultRecord[]): SafeHtml {
  if (faults.length === 0 && results.failovers.length === 0) return html``;
  const parts: SafeHtml[] = [];
  if (faults.length === 0) parts.push(html`<p class="muted">No fault was injected.</p>`);
  else {
    const rows = faults.map((f) => [
      String(f.id),
      f.kind,
      f.targets.join(', ') || '–',
      at(f.startMs),
      at(f.endMs),
      f.error ? `failed: ${f.error}` : '',
    ]);
    parts.push(htmlTable(['#', 'Fault', 'Targets', 'Start', 'Healed', 'Note'], rows, ['right', 'left', 'left', 'right', 'right', 'left']));
  }
  if (results.failovers.length > 0) {
    const rows = results.failovers.map((f) => [
      f.from,
      f.to,
      at(f.detectedAtMs),
      at(f.promotedAtMs),
      formatDuration(Math.max(0, f.promotedAtMs - f.detectedAtMs)),
    ]);
    parts.push(html`<h3>Failovers</h3>`);
    parts.push(htmlTable(['From', 'To', 'Detected', 'Promoted', 'Promotion took'], rows, ['left', 'left', 'right', 'right', 'right']));
  }
  return html`<section id="faults"><h2>Faults</h2>${parts}</section>`;
}
