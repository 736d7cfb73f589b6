import { html, SafeHtml, type HtmlValue } from '../report/html/page/html-escape.ts';
import { htmlTable, type Align } from '../report/html/page/html-table.ts';
import { PAGE_CSS } from '../report/html/page/page-styles.ts';
import { verdictBadge } from '../report/html/page/verdict-badge.ts';
import type { CheckComparison, Comparison, CountRow, MetricName, MetricTable } from './comparison-types.ts';
import { formatCell } from './render-comparison-md.ts';

// comparison.html: comparison.md's tables with the report's look (verdict badges, the same
// stylesheet), plus grouped bar charts. Built with the report's `html` tag, so every label, name
// and error is escaped; no script, and the same Content-Security-Policy as report.html.

export const COMPARISON_HTML_FILE = 'comparison.html';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const SHOWN_METRICS: readonly MetricName[] = ['throughput', 'p50', 'p99', 'errors'];

export interface ComparisonFigure {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  /** Checked SVG markup (report/html's trustSvg). */
  readonly svg: SafeHtml;
}

export function renderComparisonHtml(comparison: Comparison, figures: readonly ComparisonFigure[], notes: readonly string[] = []): string {
  const heads = ['', ...comparison.runs.map((run) => run.label)];
  const numeric: Align[] = ['left', ...comparison.runs.map((): Align => 'right')];
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="faultline">
<title>faultline comparison: ${comparison.title}</title>
<style>${new SafeHtml(PAGE_CSS)}</style>
</head>
<body>
<main>
<header>
<p class="eyebrow">faultline comparison</p>
<h1>${comparison.title}</h1>
<p>${intro(comparison)}</p>
${comparison.notRun.length > 0 ? html`<p class="callout callout-interrupted">Not run (stopped before them): ${comparison.notRun.join(', ')}</p>` : ''}
</header>
<section id="runs"><h2>Runs</h2>${runsTable(comparison, heads)}</section>
<section id="checks"><h2>Checks</h2>${verdictTable(comparison, heads)}</section>
<section id="charts"><h2>Charts</h2>
${notes.map((note) => html`<p class="callout callout-note">${note}</p>`)}
${figures.map(figure)}</section>
<section id="metrics"><h2>Operations</h2>
${SHOWN_METRICS.map((name) => metricTable(comparison, name, heads, numeric))}</section>
${replicationSection(comparison, heads, numeric)}
${regionSections(comparison, heads, numeric)}
<section id="counts"><h2>Check counts</h2>
${comparison.checks.filter((c) => c.counts.length > 0).map((check) => html`<h3>${check.check}</h3>${countsTable(check, heads, numeric)}`)}</section>
<footer>Written by faultline from comparison.json (schema ${comparison.schemaVersion}); every figure comes from the runs' results.json.</footer>
</main>
</body>
</html>
`;
  return page.value;
}

function intro(comparison: Comparison): string {
  const seeds = [...new Set(comparison.runs.map((run) => run.seed))];
  const seed = seeds.length === 1 ? `, all with seed ${seeds[0]}` : ', with different seeds';
  const varied = comparison.differences.map((d) => d.path).join(', ');
  return `${comparison.runs.length} runs side by side${seed}.${varied ? ` They differ in ${varied}.` : ''}`;
}

function runsTable(comparison: Comparison, heads: readonly string[]): SafeHtml {
  const value = (v: unknown) => html`<code>${typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null')}</code>`;
  const rows: HtmlValue[][] = [
    ...comparison.differences.map((d) => [html`<code>${d.path}</code>`, ...d.values.map(value)]),
    ['status', ...comparison.runs.map((run) => html`<span class="status status-${run.status}">${run.status}</span>`)],
    ['report', ...comparison.runs.map((run) => html`<a href="${reportHref(run.dir)}">report.md</a>`)],
    ['error', ...comparison.runs.map((run) => run.error ?? '')],
  ];
  return htmlTable(heads, rows.filter((row) => row[0] !== 'error' || comparison.runs.some((run) => run.error)));
}

/** A relative link; each path segment encoded, so no character of a folder name can end the attribute or the URL. */
function reportHref(dir: string): string {
  const segments = dir.replace(/\\/g, '/').split('/').filter((s) => s !== '');
  return [...segments.map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s))), 'report.md'].join('/');
}

function verdictTable(comparison: Comparison, heads: readonly string[]): SafeHtml {
  if (comparison.checks.length === 0) return html`<p class="muted">No checks ran.</p>`;
  const rows = comparison.checks.map((check) => [
    html`<strong>${check.check}</strong>`,
    ...check.verdicts.map((verdict, i) => (verdict === null ? html`<span class="muted">not run</span>` : html`${verdictBadge(verdict)} ${keyFigures(check, i)}`)),
  ]);
  return htmlTable(heads, rows, [], 'checks');
}

function keyFigures(check: CheckComparison, run: number): string {
  return check.counts
    .filter((row) => row.key && row.values.some((v) => v !== null && v !== 0))
    .flatMap((row) => {
      const value = row.values[run];
      return value === null || value === undefined ? [] : [`${row.label} ${formatCell(value, row.unit)}${row.unit === 'ms' ? ' ms' : ''}`];
    })
    .join(', ');
}

function metricTable(comparison: Comparison, name: MetricName, heads: readonly string[], align: readonly Align[]): SafeHtml | undefined {
  const table = comparison.metrics.find((m) => m.metric === name);
  if (!table) return undefined;
  const rows = [...table.rows, table.total].map((row, i, all) => [
    i === all.length - 1 ? html`<strong>${row.operation}</strong>` : row.operation,
    ...row.values.map((value) => formatCell(value, table.unit)),
  ]);
  return html`<h3>${table.title}</h3>${htmlTable(heads, rows, align, 'operations')}`;
}

function tableOf(table: MetricTable, title: string, heads: readonly string[], align: readonly Align[]): SafeHtml {
  const rows = [...table.rows, table.total].map((row, i, all) => [
    i === all.length - 1 ? html`<strong>${row.operation}</strong>` : row.operation,
    ...row.values.map((value) => formatCell(value, table.unit)),
  ]);
  return html`<h4>${title}</h4>${htmlTable(heads, rows, align, 'operations')}`;
}

/** What a customer in each region saw, run by run. */
function regionSections(comparison: Comparison, heads: readonly string[], align: readonly Align[]): SafeHtml | string {
  const regions = comparison.regions ?? [];
  if (regions.length === 0) return '';
  return html`<section id="regions"><h2>Clients by region</h2>${regions.map(
    ({ region, metrics }) => html`<h3>${region}</h3>${metrics.map((table) => tableOf(table, `${region}: ${table.title}`, heads, align))}`,
  )}</section>`;
}

/** Conflicts, lag per direction, central's freshness; "–" where a topology has no such thing. */
function replicationSection(comparison: Comparison, heads: readonly string[], align: readonly Align[]): SafeHtml | string {
  const rows = comparison.replication ?? [];
  if (rows.length === 0) return '';
  const body = rows.map((row) => [`${row.label}${row.unit === 'ms' ? ' (ms)' : ''}`, ...row.values.map((value) => formatCell(value, row.unit))]);
  return html`<section id="replication"><h2>Replication</h2>${htmlTable(heads, body, align)}</section>`;
}

function countsTable(check: CheckComparison, heads: readonly string[], align: readonly Align[]): SafeHtml {
  const label = (row: CountRow) => (row.key ? html`<strong>${row.label}${row.unit === 'ms' ? ' (ms)' : ''}</strong>` : row.label);
  return htmlTable(heads, check.counts.map((row) => [label(row), ...row.values.map((value) => formatCell(value, row.unit))]), align);
}

function figure(chart: ComparisonFigure): SafeHtml {
  return html`<figure id="chart-${chart.name}">
<figcaption><h3>${chart.title}</h3><p>${chart.caption}</p></figcaption>
<div class="chart" role="img" aria-label="${chart.title}">${chart.svg}</div>
</figure>
`;
}
