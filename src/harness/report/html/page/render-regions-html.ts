import { errorList, OPERATION_ALIGN, OPERATION_HEADER, operationFigures, orderedOperations } from '../../operation-table.ts';
import type { OperationStats, RunResults } from '../../../results/results-types.ts';
import { html, type HtmlValue, type SafeHtml } from './html-escape.ts';
import { htmlTable, type Align } from './html-table.ts';

// The operations table once per client region, as report.md has it (region names come from the
// scenario file: the html template escapes them like every other value).

function row(label: HtmlValue, stats: OperationStats): HtmlValue[] {
  const { figures, errors } = operationFigures(stats);
  return [label, ...figures, errorList(errors, (name) => name)];
}

export function renderRegionsHtml(results: RunResults): SafeHtml {
  const regions = Object.entries(results.regions ?? {});
  if (regions.length === 0) return html``;
  const latency = results.resolvedScenario.latency ?? [];
  const delays = latency.map((entry) => html`<li>${entry.between[0]} ↔ ${entry.between[1]}: ${entry.delay} ms one way${entry.jitter > 0 ? ` ± ${entry.jitter} ms` : ''}</li>`);
  const tables = regions.map(([region, figures]) => {
    const rows = orderedOperations(figures).map(([name, stats]) => row(name, stats));
    rows.push(row(html`<strong>Total</strong>`, figures.totals));
    const nodes = results.topology.nodes.filter((node) => node.region === region).map((node) => node.name);
    return html`<h3>${region} <span class="muted">(${figures.workers} workers; ${nodes.length > 0 ? `nodes here: ${nodes.join(', ')}` : 'no node in this region'})</span></h3>${htmlTable(OPERATION_HEADER, rows, OPERATION_ALIGN as readonly Align[], `region-${region}`)}`;
  });
  return html`<section id="regions"><h2>Operations by client region</h2>${delays.length > 0 ? html`<p>Configured one-way delays (the figures are measured, not computed from these):</p><ul>${delays}</ul>` : html``}${tables}</section>`;
}
