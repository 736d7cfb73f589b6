import type { Verdict } from '../checker/checker-types.ts';
import { formatCount, formatDecimal, NO_VALUE } from '../report/format-number.ts';
import { mdCode, mdParagraphs, mdTable, mdText, type Align } from '../report/markdown.ts';
import type { Cell, CheckComparison, Comparison, CountRow, MetricName, MetricRow, MetricTable, MetricUnit } from './comparison-types.ts';

// comparison.md: one column per run, so what changed between variants reads across a row.
// Pure function of the Comparison (no clock, no file system); every string from a scenario or a
// database goes through the markdown escapers, as in report.md.

export const COMPARISON_MD_FILE = 'comparison.md';

// The figures people compare first; comparison.json carries the rest (p90, p99.9, max, mean...).
const SHOWN_METRICS: readonly MetricName[] = ['throughput', 'p50', 'p99', 'errors'];

export function renderComparisonMd(comparison: Comparison): string {
  const sections = [
    `# Comparison: ${mdText(comparison.title)}`,
    intro(comparison),
    runsTable(comparison),
    notRun(comparison),
    '## Checks',
    verdictMatrix(comparison),
    ...SHOWN_METRICS.flatMap((name) => {
      const table = comparison.metrics.find((m) => m.metric === name);
      return table ? [metricSection(table, comparison)] : [];
    }),
    replicationSection(comparison),
    ...regionSections(comparison),
    ...countSections(comparison),
    errors(comparison),
  ];
  return `${sections.filter((text) => text !== '').join('\n\n')}\n`;
}

function headings(comparison: Comparison, first: string): string[] {
  return [first, ...comparison.runs.map((run) => mdText(run.label))];
}

function rightAligned(comparison: Comparison): Align[] {
  return ['left', ...comparison.runs.map((): Align => 'right')];
}

function intro(comparison: Comparison): string {
  const { runs } = comparison;
  if (runs.length === 0) return 'No run to compare.';
  const seeds = [...new Set(runs.map((run) => run.seed))];
  const seed = seeds.length === 1 ? `, all with seed ${seeds[0]}` : ', with different seeds';
  const varied = comparison.differences.map((d) => mdCode(d.path));
  const what = varied.length > 0 ? ` They differ in ${varied.join(', ')}.` : ' Their scenarios are identical.';
  return `${runs.length} run${runs.length === 1 ? '' : 's'} side by side${seed}.${what} Each column is one run; its folder holds results.json and report.md.`;
}

function runsTable(comparison: Comparison): string {
  if (comparison.runs.length === 0) return '';
  const cells = (pick: (i: number) => string) => comparison.runs.map((_, i) => pick(i));
  const rows: string[][] = [
    ...comparison.differences.map((d) => [mdCode(d.path, { inTable: true }), ...d.values.map((value) => valueCell(value))]),
    ['status', ...cells((i) => statusCell(comparison.runs[i]!.status))],
    ['measured', ...cells((i) => `${formatDecimal(comparison.runs[i]!.measuredMs / 1000)} s`)],
    ['report', ...cells((i) => reportLink(comparison.runs[i]!.dir))],
  ];
  return mdTable(headings(comparison, 'run'), rows);
}

function notRun(comparison: Comparison): string {
  if (comparison.notRun.length === 0) return '';
  return `Not run (stopped before them): ${comparison.notRun.map((label) => mdCode(label)).join(', ')}.`;
}

function valueCell(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  return mdCode(text, { inTable: true });
}

function statusCell(status: string): string {
  return status === 'completed' ? 'completed' : `**${mdText(status.toUpperCase())}**`;
}

/** A relative link to the run's report.md; angle brackets keep any character of the path literal. */
function reportLink(dir: string): string {
  const target = `${dir.replace(/\\/g, '/').replace(/\/$/, '')}/report.md`.replace(/[<>|\n\r]/g, encodeURIComponent);
  return `[report.md](<${target}>)`;
}

function verdictMatrix(comparison: Comparison): string {
  if (comparison.checks.length === 0) return 'No checks ran.';
  const rows = comparison.checks.map((check) => [
    mdText(check.check),
    ...check.verdicts.map((verdict, i) => verdictCell(verdict, check.counts.filter(telling), i)),
  ]);
  return mdTable(headings(comparison, 'check'), rows);
}

// A key count that is 0 in every run (no negative stock anywhere) only adds words to the matrix;
// the check's own table below still lists it.
function telling(row: CountRow): boolean {
  return row.key && row.values.some((value) => value !== null && value !== 0);
}

// INVALID stands out in bold: a found anomaly is what a reader scans the matrix for.
const VERDICT_TEXT: Record<Verdict, string> = { valid: 'valid', invalid: '**INVALID**', unknown: 'unknown' };

function verdictCell(verdict: Verdict | null, keys: readonly CountRow[], run: number): string {
  if (verdict === null) return 'not run';
  const figures = keys.flatMap((row) => {
    const value = row.values[run];
    return value === null || value === undefined ? [] : [`${mdText(row.label)} ${formatCell(value, row.unit)}${row.unit === 'ms' ? ' ms' : ''}`];
  });
  return figures.length > 0 ? `${VERDICT_TEXT[verdict]}: ${figures.join(', ')}` : VERDICT_TEXT[verdict];
}

function metricSection(table: MetricTable, comparison: Comparison): string {
  const row = (metric: MetricRow, name: string) => [name, ...metric.values.map((value) => formatCell(value, table.unit))];
  const rows = [...table.rows.map((metric) => row(metric, mdText(metric.operation))), row(table.total, `**${mdText(table.total.operation)}**`)];
  return `## ${mdText(table.title)}\n\n${mdTable(headings(comparison, 'operation'), rows, rightAligned(comparison))}`;
}

/** Conflicts, lag per direction, central's freshness: "–" where a topology has no such thing. */
function replicationSection(comparison: Comparison): string {
  const rows = comparison.replication ?? [];
  if (rows.length === 0) return '';
  const body = rows.map((row) => [mdText(row.unit === 'ms' ? `${row.label} (ms)` : row.label), ...row.values.map((value) => formatCell(value, row.unit))]);
  return `## Replication\n\n${mdTable(headings(comparison, 'figure'), body, rightAligned(comparison))}`;
}

/** What a customer in each region saw, run by run: the question a regional comparison asks. */
function regionSections(comparison: Comparison): string[] {
  return (comparison.regions ?? []).flatMap(({ region, metrics }) => [
    `## Clients in ${mdText(region)}`,
    ...metrics.map((table) => metricSection({ ...table, title: `${region}: ${table.title}` }, comparison).replace(/^## /, '### ')),
  ]);
}

/** Every count of every check; the verdict matrix above only has the key ones. */
function countSections(comparison: Comparison): string[] {
  const checks = comparison.checks.filter((check) => check.counts.length > 0);
  return checks.length > 0 ? ['## Check counts', ...checks.map((check) => countsSection(check, comparison))] : [];
}

function countsSection(check: CheckComparison, comparison: Comparison): string {
  const rows = check.counts.map((count) => [
    count.key ? `**${countLabel(count)}**` : countLabel(count),
    ...count.values.map((value) => formatCell(value, count.unit)),
  ]);
  return `### ${mdText(check.check)}\n\n${mdTable(headings(comparison, 'count'), rows, rightAligned(comparison))}`;
}

/** Key counts have labels for people, which need their unit; other counts go by their own name ("rpoMs", "lost (eu-west)"). */
function countLabel(count: CountRow): string {
  return mdText(count.key && count.unit === 'ms' ? `${count.label} (ms)` : count.label);
}

function errors(comparison: Comparison): string {
  const failed = comparison.runs.filter((run) => run.error !== undefined);
  if (failed.length === 0) return '';
  const items = failed.map((run) => `- ${mdText(run.label)} (${mdText(run.status)}): ${mdParagraphs(run.error ?? '').replace(/\n+/g, ' ')}`);
  return `## Why runs stopped\n\n${items.join('\n')}`;
}

export function formatCell(value: Cell | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined) return NO_VALUE;
  return unit === 'count' ? formatCount(value) : formatDecimal(value);
}
