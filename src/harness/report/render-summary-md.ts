import { formatDuration } from '../units/duration.ts';
import { extensionText } from './extension-text.ts';
import { failureLead, NO_ERROR_MESSAGE } from './failure-text.ts';
import { mdCode, mdFenced, mdParagraphs, mdText } from './markdown.ts';
import type { RunResults, RunStatus } from '../results/results-types.ts';

// The top of report.md answers "what ran, did it finish, what was the verdict" before any detail.

const STATUS: Record<RunStatus, string> = {
  completed: 'completed',
  failed: '**FAILED**',
  interrupted: '**INTERRUPTED**',
};

export function verdictLabel(verdict: string): string {
  return verdict.toUpperCase();
}

export function renderSummaryMd(results: RunResults): string {
  const { scenario, run } = results;
  const checkNames = Object.keys(results.checks).sort();
  const verdicts = checkNames.map((name) => `${mdText(name)} **${verdictLabel(results.checks[name]?.verdict ?? 'unknown')}**`);
  const nodes = results.topology.nodes.length;
  const parts = [
    `# faultline report: ${mdText(scenario.name)}`,
    mdParagraphs(scenario.description),
    [
      `- **Status:** ${STATUS[run.status] ?? mdText(String(run.status))}`,
      ...((results.marks ?? []).length > 0 ? [`- **Marked:** ${(results.marks ?? []).map((mark) => `**${mdText(mark)}**`).join(', ')} (see below)`] : []),
      `- **Checks:** ${verdicts.length > 0 ? verdicts.join(', ') : 'none ran'}`,
      `- **Run id:** ${mdCode(run.id)}`,
      `- **Started:** ${mdText(run.startedAt)}`,
      `- **Finished:** ${mdText(run.finishedAt)}`,
      `- **Measured duration:** ${formatDuration(run.measuredMs)}${extensionText(results) ? ` (extended ${mdText(extensionText(results)!)})` : ''}`,
      `- **Seed:** ${scenario.seed}`,
      `- **Topology:** ${mdText(results.topology.kind)}, ${nodes} ${nodes === 1 ? 'node' : 'nodes'}`,
    ].join('\n'),
  ];
  const failure = renderFailure(results);
  if (failure) parts.push(failure);
  return parts.filter((part) => part.length > 0).join('\n\n');
}

/** A run that stopped early still reports what it measured; this says so up front, with why. */
function renderFailure(results: RunResults): string | undefined {
  const lead = failureLead(results);
  if (lead === undefined) return undefined;
  const { error } = results.run;
  const detail = error === undefined || error.trim() === '' ? NO_ERROR_MESSAGE : mdFenced(error);
  return `## Error\n\n${lead}\n\n${detail}`;
}
