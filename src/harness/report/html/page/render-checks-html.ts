import type { CheckResult } from '../../../checker/checker-types.ts';
import { formatCount } from '../../format-number.ts';
import { MAX_EXAMPLES, exampleJson } from '../../render-checks-md.ts';
import type { RunResults } from '../../../results/results-types.ts';
import { anchor, paragraphs } from './html-text.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { verdictBadge } from './verdict-badge.ts';
import { checkScope } from '../../check-scope.ts';

// Consistency next to latency is the point of faultline: one row per checker with its verdict,
// what it counted, its explanation in plain words, and a few anomalies a person can look up in
// history.jsonl (folded away: they are evidence, not the headline).

export function renderChecksHtml(results: RunResults): SafeHtml {
  const names = Object.keys(results.checks).sort();
  const rows = names.flatMap((name) => {
    const result = results.checks[name];
    return result ? [checkRow(name, result)] : [];
  });
  const body =
    rows.length > 0
      ? html`<div class="table-wrap"><table class="checks">
<thead><tr><th scope="col">Check</th><th scope="col">Verdict</th><th scope="col">Counts</th><th scope="col">Explanation</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`
      : html`<p class="muted">No checks ran.</p>`;
  return html`<section id="checks"><h2>Consistency checks</h2>${body}</section>`;
}

// The first counts are a checker's headline figures; long tails (a count per table) fold away.
const SHOWN_COUNTS = 6;

function checkRow(name: string, result: CheckResult): SafeHtml {
  return html`<tr id="check-${anchor(name)}" class="verdict-${result.verdict}">
<th scope="row">${name}</th>
<td>${verdictBadge(result.verdict)}</td>
<td class="counts">${countList(Object.entries(result.counts))}</td>
<td class="explanation">${scopeList(result)}${paragraphs(result.explanation)}${examples(result.examples)}</td>
</tr>
`;
}

/** The bound the verdict was judged against and what it covered, above the explanation. */
function scopeList(result: CheckResult): SafeHtml {
  const scope = checkScope(result);
  return html`<dl class="scope"><div><dt>Bound</dt><dd>${scope.bound}</dd></div><div><dt>Covered</dt><dd>${scope.coverage}</dd></div></dl>`;
}

function countList(counts: readonly [string, number][]): SafeHtml {
  if (counts.length === 0) return html`<span class="muted">–</span>`;
  const list = (entries: readonly [string, number][]) =>
    html`<dl class="counts">${entries.map(([key, value]) => html`<div><dt>${key}</dt><dd>${formatCount(value)}</dd></div>`)}</dl>`;
  if (counts.length <= SHOWN_COUNTS + 1) return list(counts);
  const rest = counts.slice(SHOWN_COUNTS);
  return html`${list(counts.slice(0, SHOWN_COUNTS))}<details><summary>${rest.length} more</summary>${list(rest)}</details>`;
}

function examples(all: readonly unknown[]): SafeHtml | undefined {
  if (all.length === 0) return undefined;
  const shown = all.slice(0, MAX_EXAMPLES);
  const label = all.length > shown.length ? `Examples (first ${shown.length} of ${formatCount(all.length)})` : `Examples (${shown.length})`;
  return html`<details><summary>${label}</summary><ol class="examples">${shown.map((example) => html`<li><code>${exampleJson(example)}</code></li>`)}</ol></details>`;
}
