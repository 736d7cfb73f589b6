import { OPERATION_NAMES } from '../scenario/schema.ts';
import { NO_VALUE, formatCount, formatDecimal } from './format-number.ts';
import type { OperationStats, RunResults } from '../results/results-types.ts';

// The operations table, as data: report.md and report.html render the same cells from here, so
// the two reports agree figure for figure. Names are left raw; each renderer escapes its way.

export const OPERATION_HEADER = ['Operation', 'Count', 'OK', 'Fail', 'Info', 'ops/s', 'p50', 'p90', 'p99', 'p99.9', 'max', 'Errors'];
export const OPERATION_ALIGN = ['left', ...Array<'right'>(10).fill('right'), 'left'] as const;

export const LATENCY_NOTE =
  'Latencies in ms, over every completed operation (ok, fail and info). In an open loop they are ' +
  'measured from the intended start, so time spent queueing behind a slow server counts.';

/** The scenario's canonical order, so reports of different runs line up; unknown names last. */
export function orderedOperations(results: Pick<RunResults, 'operations'>): [string, OperationStats][] {
  const rank = (name: string) => {
    const index = (OPERATION_NAMES as readonly string[]).indexOf(name);
    return index === -1 ? OPERATION_NAMES.length : index;
  };
  return Object.entries(results.operations)
    .filter((entry): entry is [string, OperationStats] => entry[1] !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Every cell after the label, the error classes last (raw names, most frequent first). */
export function operationFigures(stats: OperationStats): { readonly figures: string[]; readonly errors: [string, number][] } {
  const latency = stats.latencyMs;
  // With nothing completed the histogram is empty and its percentiles mean nothing.
  const ms = (value: number) => (stats.count > 0 ? formatDecimal(value) : NO_VALUE);
  return {
    figures: [
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
    ],
    errors: Object.entries(stats.errors)
      .filter(([, count]) => count !== 0)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)),
  };
}

/** "class ×count, ..." with each name passed through the renderer's own escaping. */
export function errorList(errors: readonly [string, number][], escape: (name: string) => string): string {
  return errors.map(([name, count]) => `${escape(name)} ×${formatCount(count)}`).join(', ');
}
