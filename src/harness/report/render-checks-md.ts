import { formatCount } from './format-number.ts';
import { mdCode, mdParagraphs, mdTable, mdText } from './markdown.ts';
import type { CheckResult } from '../checker/checker-types.ts';
import type { RunResults } from '../results/results-types.ts';
import { verdictLabel } from './render-summary-md.ts';
import { checkScope } from './check-scope.ts';

// Consistency next to latency is the point of faultline: each checker's verdict, what it
// counted, a few anomalies a person can look up, and its explanation in plain words.

export const MAX_EXAMPLES = 5;
// An example is a pointer into the history, not a dump: long ones are cut.
const MAX_EXAMPLE_CHARS = 400;

export function renderChecksMd(results: RunResults): string {
  const names = Object.keys(results.checks).sort();
  const sections = names.flatMap((name) => {
    const result = results.checks[name];
    return result ? [renderCheck(name, result)] : [];
  });
  return ['## Checks', ...(sections.length > 0 ? sections : ['No checks ran.'])].join('\n\n');
}

function renderCheck(name: string, result: CheckResult): string {
  const scope = checkScope(result);
  const parts = [`### ${mdText(name)}: ${verdictLabel(result.verdict)}`, `- **Bound:** ${mdText(scope.bound)}\n- **Covered:** ${mdText(scope.coverage)}`];
  const explanation = mdParagraphs(result.explanation);
  if (explanation) parts.push(explanation);
  const counts = Object.entries(result.counts);
  if (counts.length > 0) {
    parts.push(mdTable(['Count', 'Value'], counts.map(([key, value]) => [mdText(key), formatCount(value)]), ['left', 'right']));
  }
  const examples = result.examples;
  if (examples.length > 0) {
    const shown = examples.slice(0, MAX_EXAMPLES);
    const heading = examples.length > shown.length ? `Examples (first ${shown.length} of ${examples.length}):` : 'Examples:';
    parts.push(`${heading}\n\n${shown.map((example) => `- ${mdCode(exampleJson(example))}`).join('\n')}`);
  }
  return parts.join('\n\n');
}

/** Compact JSON; values JSON cannot hold (bigint, cycles) still show as something readable. */
export function exampleJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    try {
      text = String(value);
    } catch {
      text = '[unprintable]';
    }
  }
  return text.length > MAX_EXAMPLE_CHARS ? `${text.slice(0, MAX_EXAMPLE_CHARS)}…` : text;
}
