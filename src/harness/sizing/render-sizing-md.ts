import { formatDecimal, formatPercent, NO_VALUE } from '../report/format-number.ts';
import { mdCode, mdTable, mdText, type Align } from '../report/markdown.ts';
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
import type { SeriesFit, SizingGroup, SizingReport } from './sizing-types.ts';

// sizing.md: what was measured, what was fitted, what that implies, then every assumption.
// Pure function of the report; scenario text and labels go through the markdown escapers.

export const SIZING_MD_FILE = 'sizing.md';

export const USL_FORMULA = 'X(N) = λN / (1 + σ(N−1) + κN(N−1))';

const MEASURED_ALIGN: Align[] = ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'left'];

export function renderSizingMd(report: SizingReport): string {
  const sections = [
    `# Sizing: ${mdText(report.scenario.name)}`,
    [report.provenance.measured, report.provenance.fitted, report.provenance.extrapolated].map((line) => `- ${mdText(line)}`).join('\n'),
    report.warnings.length > 0 ? `**Read with care:**\n\n${report.warnings.map((w) => `- ${mdText(w)}`).join('\n')}` : '',
    ...report.groups.map((group) => groupSection(report, group)),
    '## Assumptions',
    report.assumptions.map((line) => `- ${mdText(line)}`).join('\n'),
  ];
  return `${sections.filter((text) => text !== '').join('\n\n')}\n`;
}

function groupSection(report: SizingReport, group: SizingGroup): string {
  const runs = group.levels.map((level) => (level.dir ? `[report.md](<${level.dir.replace(/[<>]/g, '')}/report.md>)` : NO_VALUE));
  const measured = measuredRows(group.levels).map((row, i) => [...row.map(mdText), runs[i]!]);
  return [
    `## ${mdText(groupTitle(group))}`,
    '### Measured',
    mdTable([...MEASURED_COLUMNS, 'run'], measured, MEASURED_ALIGN),
    `### Fitted: ${USL_FORMULA}`,
    mdTable(FIT_COLUMNS, fitRows(group).map((row) => row.map(mdText))),
    notFittedLines(group).map(mdText).join('\n\n'),
    residuals(group.orders),
    sizingSection(report, group),
  ]
    .filter((text) => text !== '')
    .join('\n\n');
}

function residuals(fit: SeriesFit): string {
  if (fit.kind !== 'fitted') return '';
  const rows = fit.fitted.map((p) => [String(p.concurrency), formatDecimal(p.measured), formatDecimal(p.fitted), formatPercent(p.fitted - p.measured, p.measured)]);
  return `Orders/s, measured beside fitted:\n\n${mdTable(['N', 'measured', 'fitted', 'error'], rows, ['right', 'right', 'right', 'right'])}`;
}

function sizingSection(report: SizingReport, group: SizingGroup): string {
  if (report.targetOrdersPerSecond === null) return '';
  const heading = `### Sizing for ${formatDecimal(report.targetOrdersPerSecond)} orders/s`;
  if (!group.sizing) return `${heading}\n\n${mdText(notSizedText(group))}`;
  const unit = group.unit ? `\n\nA unit is ${mdCode(group.unit.kind)} with ${group.unit.nodes.length} node(s): ${group.unit.nodes.map((n) => mdCode(n)).join(', ')}.` : '';
  return `${heading}\n\n- ${mdText(measuredBasisText(group.sizing))}\n- ${mdText(modelBasisText(group.sizing))}${unit}`;
}
