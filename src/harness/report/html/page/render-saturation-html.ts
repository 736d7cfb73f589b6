import type { RunResults } from '../../../results/results-types.ts';
import { markNotes, SATURATION_COLUMNS, saturationRows, saturationSummary } from '../../saturation-figures.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlTable } from './html-table.ts';

// report.md's Saturation section and marks, as HTML (the same figures: saturation-figures.ts).

export function renderSaturationHtml(results: RunResults): SafeHtml {
  const { saturation } = results;
  if (!saturation) return html``;
  const table =
    saturation.seconds > 0
      ? htmlTable(SATURATION_COLUMNS, saturationRows(saturation), ['left', 'right', 'right', 'right', 'right'])
      : html`<p class="muted">No second of the run phase was sampled.</p>`;
  return html`<section id="saturation"><h2>Saturation</h2>${table}<p>${saturationSummary(saturation)}</p></section>`;
}

/** The marks as callouts at the top of the page. */
export function renderMarksHtml(results: RunResults): SafeHtml | undefined {
  const notes = markNotes(results);
  if (notes.length === 0) return undefined;
  return html`${notes.map((note) => html`<div class="callout callout-note mark-${note.mark}" role="note"><p><strong>${note.title}.</strong> ${note.text}</p></div>`)}`;
}
