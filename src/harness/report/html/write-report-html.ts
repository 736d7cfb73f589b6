import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { formatCount } from '../format-number.ts';
import type { RunResults } from '../../results/results-types.ts';
import { assertNoSecrets } from '../secret-guard.ts';
import { renderResultsJson } from '../write-results-json.ts';
import { buildChartContext } from './charts/build-chart-context.ts';
import { CHART_BUILDERS } from './charts/chart-registry.ts';
import type { ChartBuilder, ChartContext } from './charts/chart-types.ts';
import { renderChartSvg } from './charts/render-chart-svg.ts';
import { renderPageHtml } from './page/render-page-html.ts';
import type { RenderedChart } from './page/render-charts-html.ts';
import { trustSvg } from './page/trusted-svg.ts';
import { errorMessage } from '../../output/errors.ts';

// report.html beside report.md: the same tables, plus charts drawn from the history. Each chart's
// vega-lite spec is saved as charts/<name>.vl.json (data inlined) so it can be reopened in the
// vega editor. A chart that cannot be drawn is named on the page instead of failing the report:
// a failed run's report matters most. A secret in any file still stops the write, as for
// results.json and report.md.

export const REPORT_HTML_FILE = 'report.html';
export const CHARTS_DIR = 'charts';
const HISTORY_FILE = 'history.jsonl';

export interface WriteReportHtmlOptions {
  /** Defaults to history.jsonl in the report folder. */
  readonly historyPath?: string;
  readonly builders?: readonly ChartBuilder[];
}

export interface ChartFile {
  readonly chart: RenderedChart;
  readonly specText: string;
}

/** Writes <dir>/report.html and <dir>/charts/*.vl.json; returns the page's path. */
export async function writeReportHtml(
  dir: string,
  results: RunResults,
  secrets: readonly string[] = [],
  options: WriteReportHtmlOptions = {},
): Promise<string> {
  const notes: string[] = [];
  const context = await buildChartContext(results, options.historyPath ?? path.join(dir, HISTORY_FILE)).catch((error: unknown) => {
    notes.push(isMissing(error) ? 'No history.jsonl was written, so there is nothing to chart.' : `The history could not be read: ${message(error)}`);
    return undefined;
  });
  const files = context ? await renderCharts(context, options.builders ?? CHART_BUILDERS, notes) : [];
  if (context && context.digest.skippedLines > 0) {
    notes.push(
      `${formatCount(context.digest.skippedLines)} line(s) of history.jsonl could not be read and were left out ` +
        '(a run stopped mid-write leaves a partial last line).',
    );
  }
  const page = renderPageHtml({ results, faults: context?.faults ?? results.faults, charts: files.map((f) => f.chart), chartNotes: notes });
  // Escaping can disguise a secret in the page ("&" becomes "&amp;"), so the raw data is checked too.
  assertNoSecrets(page, secrets);
  assertNoSecrets(renderResultsJson(results), secrets);
  for (const file of files) assertNoSecrets(file.specText, secrets);

  if (files.length > 0) await mkdir(path.join(dir, CHARTS_DIR), { recursive: true });
  for (const file of files) await writeFileAtomic(path.join(dir, file.chart.specFile), file.specText);
  const target = path.join(dir, REPORT_HTML_FILE);
  await writeFileAtomic(target, page);
  return target;
}

/** Every chart that applies, drawn; one that fails is left out with a note saying why. */
export async function renderCharts(context: ChartContext, builders: readonly ChartBuilder[], notes: string[]): Promise<ChartFile[]> {
  const files: ChartFile[] = [];
  for (const builder of builders) {
    try {
      const spec = builder.build(context);
      if (spec === undefined) continue;
      const svg = trustSvg(await renderChartSvg(spec, builder.name));
      const note = builder.note?.(context);
      const { title, caption } = builder.describe?.(context) ?? builder;
      const specFile = `${CHARTS_DIR}/${builder.name}.vl.json`;
      files.push({
        chart: { name: builder.name, title, caption, ...(note ? { note } : {}), svg, specFile },
        specText: `${JSON.stringify(spec)}\n`,
      });
    } catch (error) {
      notes.push(`The chart “${builder.title}” could not be drawn: ${message(error)}`);
    }
  }
  return files;
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

function message(error: unknown): string {
  return errorMessage(error);
}
