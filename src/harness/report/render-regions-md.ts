import { formatCount } from './format-number.ts';
import { mdTable, mdText, type Align } from './markdown.ts';
import { errorList, OPERATION_ALIGN, OPERATION_HEADER, operationFigures, orderedOperations } from './operation-table.ts';
import type { OperationStats, RunResults } from '../results/results-types.ts';

// The operations table once per client region: an EU customer's checkout and a US customer's
// are different experiences of the same system, and the whole point of a regional scenario.

function row(label: string, stats: OperationStats): string[] {
  const { figures, errors } = operationFigures(stats);
  return [label, ...figures, errorList(errors, mdText)];
}

function distances(results: RunResults): string {
  const latency = results.resolvedScenario.latency ?? [];
  if (latency.length === 0) return 'No latency between regions is configured.';
  const lines = latency.map((entry) => {
    const jitter = entry.jitter > 0 ? ` ± ${entry.jitter} ms` : '';
    return `- ${mdText(entry.between[0])} ↔ ${mdText(entry.between[1])}: ${entry.delay} ms one way${jitter}`;
  });
  return `Configured one-way delays (the figures below are measured, not computed from these):\n\n${lines.join('\n')}`;
}

export function renderRegionsMd(results: RunResults): string {
  const regions = results.regions;
  if (regions === undefined || Object.keys(regions).length === 0) return '';
  const parts = ['## Operations by client region', distances(results)];
  for (const [region, figures] of Object.entries(regions)) {
    const rows = orderedOperations(figures).map(([name, stats]) => row(mdText(name), stats));
    rows.push(row('**Total**', figures.totals));
    const nodes = results.topology.nodes.filter((node) => node.region === region).map((node) => mdText(node.name));
    const where = nodes.length > 0 ? `nodes here: ${nodes.join(', ')}` : 'no node in this region';
    parts.push(`### ${mdText(region)} (${formatCount(figures.workers)} workers; ${where})`);
    parts.push(mdTable(OPERATION_HEADER, rows, OPERATION_ALIGN as readonly Align[]));
  }
  return parts.join('\n\n');
}
