import { formatDuration } from '../units/duration.ts';
import { formatCount } from './format-number.ts';
import { loadFacts } from './saturation-figures.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from '../results/results-types.ts';

// How load was applied matters as much as what it measured: a closed loop slows down with the
// server (hiding queueing), an open loop does not. Offered against achieved, drops and late
// starts say when the load was not what was asked for (saturation-figures.ts).

export function renderWorkloadMd(results: RunResults): string {
  const items = loadFacts(results).map(([label, value]) => `- **${label}:** ${mdText(value)}`);
  return `## Workload\n\n${items.join('\n')}`;
}

export function renderDatasetMd(results: RunResults): string {
  const { dataset } = results;
  if (!dataset) return '## Dataset\n\nNo dataset was loaded.';
  const rows = Object.entries(dataset.rows).map(([table, count]) => [mdText(table), formatCount(count)]);
  const table = rows.length > 0 ? mdTable(['Table', 'Rows'], rows, ['left', 'right']) : 'No rows were loaded.';
  return `## Dataset\n\n${table}\n\nLoaded in ${formatDuration(dataset.loadMs)}.`;
}
