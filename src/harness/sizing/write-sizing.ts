import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../report/atomic-write.ts';
import { renderChartSvg } from '../report/html/charts/render-chart-svg.ts';
import { trustSvg } from '../report/html/page/trusted-svg.ts';
import { renderSizingHtml, SIZING_HTML_FILE, type SizingFigure } from './render-sizing-html.ts';
import { renderSizingMd, SIZING_MD_FILE } from './render-sizing-md.ts';
import { sizingChart } from './sizing-chart.ts';
import type { SizingReport } from './sizing-types.ts';
import { errorMessage } from '../output/errors.ts';

// sizing.json is the data; sizing.md and sizing.html say the same for people. Written
// atomically, like every report file; a chart that cannot be drawn is named on the page instead.

export const SIZING_JSON_FILE = 'sizing.json';

export interface SizingFiles {
  readonly json: string;
  readonly md: string;
  readonly html: string;
}

export async function writeSizing(dir: string, report: SizingReport): Promise<SizingFiles> {
  await mkdir(dir, { recursive: true });
  const files = { json: path.join(dir, SIZING_JSON_FILE), md: path.join(dir, SIZING_MD_FILE), html: path.join(dir, SIZING_HTML_FILE) };
  await writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(files.md, renderSizingMd(report));
  const figures = await Promise.all(report.groups.map((group, i) => drawChart(group.orders, `sizing-${i + 1}`)));
  await writeFileAtomic(files.html, renderSizingHtml(report, figures));
  return files;
}

async function drawChart(fit: SizingReport['groups'][number]['orders'], id: string): Promise<SizingFigure | undefined> {
  if (fit.kind !== 'fitted') return undefined;
  try {
    return { svg: trustSvg(await renderChartSvg(sizingChart(fit), id)) };
  } catch (error) {
    return { note: `The chart could not be drawn: ${errorMessage(error)}` };
  }
}
