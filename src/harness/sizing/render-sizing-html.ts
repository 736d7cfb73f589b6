import { formatDecimal } from '../report/format-number.ts';
import { html, SafeHtml } from '../report/html/page/html-escape.ts';
import { htmlTable } from '../report/html/page/html-table.ts';
import { PAGE_CSS } from '../report/html/page/page-styles.ts';
import { USL_FORMULA } from './render-sizing-md.ts';
import {
  FIT_COLUMNS,
  fitRows,
  groupTitle,
  MEASURED_COLUMNS,
  measuredBasisText,
  measuredRows,
  modelBasisText,
  notFittedLines,
  notSizedText,
} from './sizing-format.ts';
import type { SizingGroup, SizingReport } from './sizing-types.ts';

// sizing.html: sizing.md's content with a chart per unit (measured points, fitted curve). Built
// with the report's `html` tag, so every label is escaped; no script, the report's CSP.

export const SIZING_HTML_FILE = 'sizing.html';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** A group's chart as checked SVG, or why it could not be drawn. */
export type SizingFigure = { readonly svg: SafeHtml } | { readonly note: string };

export function renderSizingHtml(report: SizingReport, figures: readonly (SizingFigure | undefined)[]): string {
  const { provenance } = report;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="faultline">
<title>faultline sizing: ${report.scenario.name}</title>
<style>${new SafeHtml(PAGE_CSS)}</style>
</head>
<body>
<main>
<header>
<p class="eyebrow">faultline sizing</p>
<h1>${report.scenario.name}</h1>
<ul><li>${provenance.measured}</li><li>${provenance.fitted}</li><li>${provenance.extrapolated}</li></ul>
${report.warnings.length > 0 ? html`<div class="callout callout-note"><strong>Read with care:</strong><ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : ''}
</header>
${report.groups.map((group, i) => groupSection(report, group, figures[i]))}
<section id="assumptions"><h2>Assumptions</h2><ul>${report.assumptions.map((line) => html`<li>${line}</li>`)}</ul></section>
<footer>Written by faultline from sizing.json (schema ${report.schemaVersion}); each level's run folder holds its results.json and report.</footer>
</main>
</body>
</html>
`.value;
}

function groupSection(report: SizingReport, group: SizingGroup, figure: SizingFigure | undefined): SafeHtml {
  const figureHtml =
    figure === undefined
      ? ''
      : 'svg' in figure
        ? html`<figure><figcaption><p>Dots: orders/s measured at each level. Line: the fitted USL, solid over the measured levels, dashed where it is extrapolated.</p></figcaption><div class="chart" role="img" aria-label="orders per second by clients">${figure.svg}</div></figure>`
        : html`<p class="callout callout-note">${figure.note}</p>`;
  return html`<section><h2>${groupTitle(group)}</h2>
${figureHtml}
<h3>Measured</h3>${measuredTable(group)}
<h3>Fitted: ${USL_FORMULA}</h3>${fitTable(group)}
${sizingList(report, group)}
</section>
`;
}

function measuredTable(group: SizingGroup): SafeHtml {
  return htmlTable(MEASURED_COLUMNS, measuredRows(group.levels), ['right', 'left', 'right', 'right', 'right', 'right', 'right']);
}

function fitTable(group: SizingGroup): SafeHtml {
  return html`${htmlTable(FIT_COLUMNS, fitRows(group))}${notFittedLines(group).map((line) => html`<p class="muted">${line}</p>`)}`;
}

function sizingList(report: SizingReport, group: SizingGroup): SafeHtml | string {
  if (report.targetOrdersPerSecond === null) return '';
  const heading = html`<h3>Sizing for ${formatDecimal(report.targetOrdersPerSecond)} orders/s</h3>`;
  if (!group.sizing) return html`${heading}<p>${notSizedText(group)}</p>`;
  return html`${heading}<ul><li>${measuredBasisText(group.sizing)}</li><li>${modelBasisText(group.sizing)}</li></ul>`;
}
