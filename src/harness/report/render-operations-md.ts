import { mdTable, mdText } from './markdown.ts';
import type { Align } from './markdown.ts';
import { errorList, LATENCY_NOTE, OPERATION_ALIGN, OPERATION_HEADER, operationFigures, orderedOperations } from './operation-table.ts';
import type { OperationStats, RunResults } from '../results/results-types.ts';

// One row per operation plus the totals: counts by outcome, throughput, latency percentiles
// and the error classes behind the fails and infos.

function operationRow(label: string, stats: OperationStats): string[] {
  const { figures, errors } = operationFigures(stats);
  return [label, ...figures, errorList(errors, mdText)];
}

export function renderOperationsMd(results: RunResults): string {
  const title = '## Operations';
  const rows = orderedOperations(results).map(([name, stats]) => operationRow(mdText(name), stats));
  if (rows.length === 0 && results.totals.count === 0) {
    return `${title}\n\nNo operation completed in the measured phase.`;
  }
  rows.push(operationRow('**Total**', results.totals));
  return `${title}\n\n${mdTable(OPERATION_HEADER, rows, OPERATION_ALIGN as readonly Align[])}\n\n${LATENCY_NOTE}`;
}
