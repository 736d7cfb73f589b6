import { OPERATION_NAMES } from '../../../scenario/schema.ts';
import { NO_VALUE, formatCount, formatDecimal } from '../../format-number.ts';
import type { OperationStats, RunResults } from '../../results-types.ts';
import { html, type HtmlValue, type SafeHtml } from './html-escape.ts';
import { htmlTable, type Align } from './html-table.ts';

// The operations table of report.md, figure for figure (same formatting functions, same order):
// counts by outcome, throughput, latency percentiles and the error classes behind fails and infos.

const HEADER = ['Operation', 'Count', 'OK', 'Fail', 'Info', 'ops/s', 'p50', 'p90', 'p99', 'p99.9', 'max', 'Errors'];
const ALIGN: Align[] = ['left', ...Array<Align>(10).fill('right'), 'left'];

const LATENCY_NOTE =
  'Latencies in ms, over every completed operation (ok, fail and info). In an open loop they are ' +
  'measured from the intended start, so time spent queueing behind a slow server counts.';

export function renderOperationsHtml(results: RunResults): SafeHtml {
  const rows = orderedOperations(results).map(([name, stats]) => operationRow(name, stats));
  if (rows.length === 0 && results.totals.count === 0) {
    return html`<section id="operations"><h2>Operations</h2><p class="muted">No operation completed in the measured phase.</p></section>`;
  }
  rows.push(operationRow(html`<strong>Total</strong>`, results.totals));
  return html`<section id="operations"><h2>Operations</h2>${htmlTable(HEADER, rows, ALIGN, 'operations')}<p class="note">${LATENCY_NOTE}</p></section>`;
}

/** The scenario's canonical order, so reports of different runs line up; unknown names last. */
function orderedOperations(results: RunResults): [string, OperationStats][] {
  const rank = (name: string) => {
    const index = (OPERATION_NAMES as readonly string[]).indexOf(name);
    return index === -1 ? OPERATION_NAMES.length : index;
  };
  return Object.entries(results.operations)
    .filter((entry): entry is [string, OperationStats] => entry[1] !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function operationRow(label: HtmlValue, stats: OperationStats): HtmlValue[] {
  const latency = stats.latencyMs;
  // With nothing completed the histogram is empty and its percentiles mean nothing.
  const ms = (value: number) => (stats.count > 0 ? formatDecimal(value) : NO_VALUE);
  return [
    label,
    formatCount(stats.count),
    formatCount(stats.ok),
    formatCount(stats.fail),
    formatCount(stats.info),
    formatDecimal(stats.throughput),
    ms(latency.p50),
    ms(latency.p90),
    ms(latency.p99),
    ms(latency.p999),
    ms(latency.max),
    errorClasses(stats.errors),
  ];
}

/** Most frequent first, as report.md lists them. */
function errorClasses(errors: Record<string, number>): string {
  return Object.entries(errors)
    .filter(([, count]) => count !== 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, count]) => `${name} ×${formatCount(count)}`)
    .join(', ');
}
