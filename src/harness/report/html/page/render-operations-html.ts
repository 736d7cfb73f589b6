import { errorList, LATENCY_NOTE, OPERATION_ALIGN, OPERATION_HEADER, operationFigures, orderedOperations } from '../../operation-table.ts';
import type { OperationStats, RunResults } from '../../../results/results-types.ts';
import { html, type HtmlValue, type SafeHtml } from './html-escape.ts';
import { htmlTable, type Align } from './html-table.ts';

// The operations table of report.md, figure for figure: both render ../../operation-table.ts.

function operationRow(label: HtmlValue, stats: OperationStats): HtmlValue[] {
  const { figures, errors } = operationFigures(stats);
  // Raw names here: the html template escapes every cell.
  return [label, ...figures, errorList(errors, (name) => name)];
}

export function renderOperationsHtml(results: RunResults): SafeHtml {
  const rows = orderedOperations(results).map(([name, stats]) => operationRow(name, stats));
  if (rows.length === 0 && results.totals.count === 0) {
    return html`<section id="operations"><h2>Operations</h2><p class="muted">No operation completed in the measured phase.</p></section>`;
  }
  rows.push(operationRow(html`<strong>Total</strong>`, results.totals));
  return html`<section id="operations"><h2>Operations</h2>${htmlTable(OPERATION_HEADER, rows, OPERATION_ALIGN as readonly Align[], 'operations')}<p class="note">${LATENCY_NOTE}</p></section>`;
}
