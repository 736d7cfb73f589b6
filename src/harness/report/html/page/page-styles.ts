// The page's only stylesheet, inlined: report.html must open offline, from a mail attachment or
// a CI artifact, exactly as written. Light theme, system font, readable line length, tables that
// scroll sideways on a phone instead of breaking the layout, and one colour per verdict.

export const PAGE_CSS = `
:root {
  --text: #1f2937; --muted: #6b7280; --line: #e5e7eb; --soft: #f8fafc; --accent: #2563eb;
  --valid: #15803d; --valid-bg: #dcfce7; --invalid: #b91c1c; --invalid-bg: #fee2e2;
  --unknown: #4b5563; --unknown-bg: #e5e7eb; --warn: #b45309; --warn-bg: #fef3c7;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--text); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 24px 0 6px; }
p { margin: 6px 0; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: 10px 12px; border-radius: 6px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; color: var(--muted); margin: 0; }
.muted, .note { color: var(--muted); }
.note { font-size: .9rem; }
nav { margin: 20px 0 0; font-size: .9rem; }
nav a { margin-right: 14px; text-decoration: none; }
.status { display: inline-block; vertical-align: middle; font-size: .8rem; font-weight: 600; padding: 2px 10px; border-radius: 999px; }
.status-completed { color: var(--valid); background: var(--valid-bg); }
.status-failed { color: var(--invalid); background: var(--invalid-bg); }
.status-interrupted { color: var(--warn); background: var(--warn-bg); }
.badge { display: inline-block; font-size: .75rem; font-weight: 700; letter-spacing: .03em; padding: 1px 8px; border-radius: 4px; white-space: nowrap; }
.badge-valid { color: var(--valid); background: var(--valid-bg); }
.badge-invalid { color: var(--invalid); background: var(--invalid-bg); }
.badge-unknown { color: var(--unknown); background: var(--unknown-bg); }
ul.verdicts { list-style: none; padding: 0; margin: 12px 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
ul.verdicts a { color: var(--text); text-decoration: none; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 8px 24px; margin: 16px 0; }
dl.facts dt { font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.callout { border-left: 4px solid var(--unknown); background: var(--soft); padding: 8px 14px; border-radius: 4px; margin: 12px 0; }
.callout-failed { border-color: var(--invalid); background: var(--invalid-bg); }
.callout-interrupted { border-color: var(--warn); background: var(--warn-bg); }
.callout-note { border-color: var(--warn); }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; font-size: .9rem; min-width: 50%; }
table.operations, table.checks { width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
thead th { font-weight: 600; background: var(--soft); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.operations tbody tr:last-child td { border-top: 2px solid var(--line); }
table.checks th[scope=row] { white-space: nowrap; }
table.checks tr.verdict-valid th[scope=row] { box-shadow: inset 4px 0 var(--valid); }
table.checks tr.verdict-invalid th[scope=row] { box-shadow: inset 4px 0 var(--invalid); }
table.checks tr.verdict-unknown th[scope=row] { box-shadow: inset 4px 0 var(--unknown); }
table.checks td.explanation { min-width: 280px; }
dl.counts { margin: 0; font-size: .85rem; }
dl.counts div { display: flex; justify-content: space-between; gap: 12px; }
td.counts { min-width: 250px; }
dl.counts dt { color: var(--muted); white-space: nowrap; }
dl.counts dd { margin: 0; font-variant-numeric: tabular-nums; }
details { margin-top: 6px; }
summary { cursor: pointer; color: var(--accent); font-size: .85rem; }
ol.examples { margin: 6px 0; padding-left: 22px; }
ol.examples code { overflow-wrap: anywhere; }
figure { margin: 28px 0; }
figcaption h3 { margin: 0 0 4px; }
figcaption p { max-width: 75ch; }
.chart { margin-top: 10px; overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
.spec { font-size: .8rem; color: var(--muted); }
footer { margin-top: 48px; font-size: .8rem; color: var(--muted); }
@media (max-width: 600px) { main { padding: 16px 12px 48px; } h1 { font-size: 1.4rem; } }
@media print { .chart { overflow: visible; } details { display: none; } }
`;
