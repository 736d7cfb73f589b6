import { formatDuration } from '../scenario/duration.ts';
import { formatCount, formatDecimal, formatPercent } from './format-number.ts';
import { mdTable, mdText } from './markdown.ts';
import type { RunResults } from './results-types.ts';

// How load was applied matters as much as what it measured: a closed loop slows down with the
// server (hiding queueing), an open loop does not. Late starts say when the generator itself lagged.

export function renderWorkloadMd(results: RunResults): string {
  const { load } = results;
  const planned = results.resolvedScenario.workload;
  const items: string[] = [];
  if (load.loop === 'closed') {
    items.push(`- **Loop:** closed, ${workers(load.workers)} (each starts its next operation when the last completes)`);
  } else {
    const loop = planned.loop;
    const arrivals = loop.kind === 'open' ? `, ${mdText(loop.arrivals)} arrivals` : '';
    const target = load.targetRate === undefined ? 'no target rate recorded' : `target ${formatDecimal(load.targetRate)} ops/s`;
    items.push(`- **Loop:** open, ${target}${arrivals}, ${formatCount(load.workers)} connections`);
  }
  items.push(`- **Achieved:** ${formatDecimal(load.achievedRate)} ops/s over ${formatDuration(results.run.measuredMs)} measured`);
  if (load.loop === 'open') {
    const share = formatPercent(load.lateStarts, results.totals.count);
    items.push(`- **Late starts:** ${formatCount(load.lateStarts)} (${share} of completed operations started over 1 ms late)`);
  }
  items.push(`- **Planned:** ${formatDuration(planned.duration)} after ${formatDuration(planned.warmup)} warmup`);
  return `## Workload\n\n${items.join('\n')}`;
}

function workers(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'worker' : 'workers'}`;
}

export function renderDatasetMd(results: RunResults): string {
  const { dataset } = results;
  if (!dataset) return '## Dataset\n\nNo dataset was loaded.';
  const rows = Object.entries(dataset.rows).map(([table, count]) => [mdText(table), formatCount(count)]);
  const table = rows.length > 0 ? mdTable(['Table', 'Rows'], rows, ['left', 'right']) : 'No rows were loaded.';
  return `## Dataset\n\n${table}\n\nLoaded in ${formatDuration(dataset.loadMs)}.`;
}
