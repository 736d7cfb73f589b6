import { formatDuration } from '../../../units/duration.ts';
import { failureLead, NO_ERROR_MESSAGE } from '../../failure-text.ts';
import type { RunResults, RunStatus } from '../../../results/results-types.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { anchor, paragraphs } from './html-text.ts';
import { verdictBadge } from './verdict-badge.ts';
import { extensionText } from '../../extension-text.ts';
import { loadFacts } from '../../saturation-figures.ts';
import { renderMarksHtml } from './render-saturation-html.ts';

// The top of the page answers "what ran, did it finish, what was the verdict" before any detail,
// as report.md does, and says up front when a run stopped early and why.

const STATUS_TEXT: Record<RunStatus, string> = { completed: 'completed', failed: 'FAILED', interrupted: 'INTERRUPTED' };

export function renderHeaderHtml(results: RunResults): SafeHtml {
  const { scenario, run } = results;
  const status = STATUS_TEXT[run.status] ?? String(run.status);
  const verdicts = Object.keys(results.checks)
    .sort()
    .map((name) => html`<li><a href="#check-${anchor(name)}">${name}</a> ${verdictBadge(results.checks[name]?.verdict ?? 'unknown')}</li>`);
  return html`<header>
<p class="eyebrow">faultline report</p>
<h1>${scenario.name} <span class="status status-${run.status}">${status}</span></h1>
${paragraphs(scenario.description)}
${verdicts.length > 0 ? html`<ul class="verdicts">${verdicts}</ul>` : html`<p class="muted">No checks ran.</p>`}
<dl class="facts">
${fact('Run id', html`<code>${run.id}</code>`)}
${fact('Started', run.startedAt)}
${fact('Finished', run.finishedAt)}
${fact('Measured', `${formatDuration(run.measuredMs)} after ${formatDuration(results.resolvedScenario.workload.warmup)} warmup${extensionText(results) ? `, extended ${extensionText(results)}` : ''}`)}
${fact('Seed', String(scenario.seed))}
${loadFacts(results).map(([label, value]) => fact(label === 'Loop' ? 'Load' : label, value))}
</dl>
${renderMarksHtml(results)}
${renderFailure(results)}
</header>`;
}

function fact(term: string, value: string | SafeHtml): SafeHtml {
  return html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
}

/** A run that stopped early still shows what it measured; this says so first, with why. */
function renderFailure(results: RunResults): SafeHtml | undefined {
  const lead = failureLead(results);
  if (lead === undefined) return undefined;
  const { status, error } = results.run;
  const detail = error === undefined || error.trim() === '' ? html`<p>${NO_ERROR_MESSAGE}</p>` : html`<pre>${error}</pre>`;
  return html`<div class="callout callout-${status}" role="alert"><p><strong>${lead}</strong></p>${detail}</div>`;
}
