import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../report/atomic-write.ts';
import { renderChartSvg } from '../report/html/charts/render-chart-svg.ts';
import { trustSvg } from '../report/html/page/trusted-svg.ts';
import { comparisonCharts } from './comparison-charts.ts';
import type { Comparison } from './comparison-types.ts';
import { COMPARISON_HTML_FILE, renderComparisonHtml, type ComparisonFigure } from './render-comparison-html.ts';
import { COMPARISON_MD_FILE, renderComparisonMd } from './render-comparison-md.ts';
import { errorMessage } from '../output/errors.ts';

// comparison.json is the data; comparison.md and comparison.html are the same for people. All are
// written atomically, like results.json: readers may open them at any time. A chart that cannot
// be drawn is named on the page instead of costing the comparison.

export const COMPARISON_JSON_FILE = 'comparison.json';

/** Stable, pretty JSON: the same comparison always gives the same bytes. */
export function renderComparisonJson(comparison: Comparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}

export interface ComparisonFiles {
  readonly json: string;
  readonly md: string;
  readonly html: string;
}

/** Writes comparison.json, .md and .html into `dir` (created if missing); returns their paths. */
export async function writeComparison(dir: string, comparison: Comparison): Promise<ComparisonFiles> {
  await mkdir(dir, { recursive: true });
  const files = {
    json: path.join(dir, COMPARISON_JSON_FILE),
    md: path.join(dir, COMPARISON_MD_FILE),
    html: path.join(dir, COMPARISON_HTML_FILE),
  };
  await writeFileAtomic(files.json, renderComparisonJson(comparison));
  await writeFileAtomic(files.md, renderComparisonMd(comparison));
  const notes: string[] = [];
  const figures = await drawCharts(comparison, notes);
  await writeFileAtomic(files.html, renderComparisonHtml(comparison, figures, notes));
  return files;
}

async function drawCharts(comparison: Comparison, notes: string[]): Promise<ComparisonFigure[]> {
  const figures: ComparisonFigure[] = [];
  for (const chart of comparisonCharts(comparison)) {
    try {
      const svg = trustSvg(await renderChartSvg(chart.spec, chart.name));
      figures.push({ name: chart.name, title: chart.title, caption: chart.caption, svg });
    } catch (error) {
      notes.push(`The chart “${chart.title}” could not be drawn: ${errorMessage(error)}`);
    }
  }
  return figures;
}
