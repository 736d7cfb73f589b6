import { html, type SafeHtml } from './html-escape.ts';

// The charts, each with its title, one sentence on what to look at (teaching mode), and the file
// holding its vega-lite spec for anyone who wants to explore it in the vega editor.

export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  /** Facts about this chart's data (what was sampled), shown under the caption. */
  readonly note?: string;
  readonly svg: SafeHtml;
  /** Relative path of the spec beside report.html. */
  readonly specFile: string;
}

export function renderChartsHtml(charts: readonly RenderedChart[], notes: readonly string[]): SafeHtml {
  const body =
    charts.length > 0 ? charts.map(figure) : html`<p class="muted">No chart: nothing was measured to draw.</p>`;
  return html`<section id="charts"><h2>Charts</h2>
<p class="note">Time runs from the start of the measured run (after warmup), as in the fault table; shaded bands are faults, from injection to heal.</p>
${notes.map((note) => html`<p class="callout callout-note">${note}</p>`)}
${body}</section>`;
}

function figure(chart: RenderedChart): SafeHtml {
  return html`<figure id="chart-${chart.name}">
<figcaption><h3>${chart.title}</h3><p>${chart.caption}</p>${chart.note ? html`<p class="muted">${chart.note}</p>` : ''}</figcaption>
<div class="chart" role="img" aria-label="${chart.title}">${chart.svg}</div>
<p class="spec">vega-lite spec: <a href="${chart.specFile}">${chart.specFile}</a></p>
</figure>
`;
}
