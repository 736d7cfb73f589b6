import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from '../results/results-types.ts';
import { markNotes, SATURATION_COLUMNS, saturationRows, saturationSummary } from './saturation-figures.ts';

// Whether the harness kept up, and how hard the database worked: the figures behind the
// harness-bound and overloaded marks, with their thresholds.

export function renderSaturationMd(results: RunResults): string {
  const { saturation } = results;
  if (!saturation) return '';
  const table = saturation.seconds > 0 ? mdTable(SATURATION_COLUMNS, saturationRows(saturation).map((row) => row.map(mdText)), ['left', 'right', 'right', 'right', 'right']) : 'No second of the run phase was sampled.';
  return `## Saturation\n\n${table}\n\n${mdText(saturationSummary(saturation))}`;
}

/** The marks, up front under the summary: what the figures describe if not the database. */
export function renderMarksMd(results: RunResults): string {
  const notes = markNotes(results);
  if (notes.length === 0) return '';
  return notes.map((note) => `> **${mdText(note.title)}.** ${mdText(note.text)}`).join('\n>\n');
}
