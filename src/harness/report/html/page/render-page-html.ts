import type { FaultRecord, RunResults } from '../../../results/results-types.ts';
import { SafeHtml, html } from './html-escape.ts';
import { PAGE_CSS } from './page-styles.ts';
import { renderChartsHtml, type RenderedChart } from './render-charts-html.ts';
import { renderChecksHtml } from './render-checks-html.ts';
import { renderDistributedCommitHtml } from './render-distributed-commit-html.ts';
import { renderFaultsHtml } from './render-faults-html.ts';
import { renderHeaderHtml } from './render-header-html.ts';
import { renderMultiLeaderHtml } from './render-multi-leader-html.ts';
import { renderOperationsHtml } from './render-operations-html.ts';
import { renderPartitionedLayoutHtml } from './render-partitioned-layout-html.ts';
import { renderRegionalCentralHtml } from './render-regional-central-html.ts';
import { renderRegionsHtml } from './render-regions-html.ts';
import { renderShardsHtml } from './render-shards-html.ts';
import { renderTopologyHtml } from './render-topology-html.ts';
import { renderSaturationHtml } from './render-saturation-html.ts';

// report.html: one self-contained file. No script at all, inline CSS, charts as inline SVG; the
// Content-Security-Policy says so to the browser too, so even a missed escape could neither run
// script nor fetch anything.

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export interface PageInput {
  readonly results: RunResults;
  /** The fault timeline to list (results.json's, or the history's when the run stopped first). */
  readonly faults: readonly FaultRecord[];
  readonly charts: readonly RenderedChart[];
  /** Why some or all charts are missing, in plain words. */
  readonly chartNotes: readonly string[];
}

export function renderPageHtml(input: PageInput): string {
  const { results } = input;
  const faults = renderFaultsHtml(results, input.faults);
  const sections: [string, string, SafeHtml][] = [
    ['topology', 'Topology', renderTopologyHtml(results)],
    ['operations', 'Operations', renderOperationsHtml(results)],
    ['saturation', 'Saturation', renderSaturationHtml(results)],
    ['regions', 'Regions', renderRegionsHtml(results)],
    ['shards', 'Shards', renderShardsHtml(results)],
    ['partitioned-layout', 'Partitioned layout', renderPartitionedLayoutHtml(results)],
    ['multi-leader', 'Multi-leader', renderMultiLeaderHtml(results)],
    ['regional-central', 'Regions and central', renderRegionalCentralHtml(results)],
    ['faults', 'Faults', faults],
    ['distributed-commit', 'Distributed commit', renderDistributedCommitHtml(results)],
    ['checks', 'Checks', renderChecksHtml(results)],
    ['charts', 'Charts', renderChartsHtml(input.charts, input.chartNotes)],
  ];
  const shown = sections.filter(([, , body]) => body.value !== '');
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${new SafeHtml(CSP)}">
<meta name="generator" content="faultline">
<title>faultline: ${results.scenario.name} (${results.run.status})</title>
<style>${new SafeHtml(PAGE_CSS) /* a constant of ours */}</style>
</head>
<body>
<main>
${renderHeaderHtml(results)}
<nav aria-label="Sections">${shown.map(([id, label]) => html`<a href="#${id}">${label}</a>`)}</nav>
${shown.map(([, , body]) => html`${body}\n`)}
<footer>Written by faultline from results.json (schema ${results.schemaVersion}) and history.jsonl of run <code>${results.run.id}</code>. The page needs no network: charts are inline SVG, their vega-lite specs are in charts/.</footer>
</main>
</body>
</html>
`;
  return page.value;
}
