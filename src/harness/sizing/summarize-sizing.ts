import path from 'node:path';
import { formatDecimal, NO_VALUE } from '../report/format-number.ts';
import { formatDuration } from '../units/duration.ts';
import { USL_FORMULA } from './render-sizing-md.ts';
import { formatFraction, formatParameter, groupTitle, measuredBasisText, modelBasisText, notSizedText, peakConcurrencyText, peakThroughputText } from './sizing-format.ts';
import type { SizingGroup, SizingReport } from './sizing-types.ts';
import type { SizingFiles } from './write-sizing.ts';

// What `faultline size` prints at the end: per unit, the measured levels, the fit, and what is
// extrapolated from it, under headings that say which is which.

export function summarizeSizing(report: SizingReport, files: SizingFiles, cwd: string = process.cwd()): string {
  const head = `\nsizing ${report.scenario.name}: N = ${report.levels.join(', ')} clients, ${formatDuration(report.durationMs)} each, seed ${report.scenario.seed}`;
  const where = path.relative(cwd, files.md) || files.md;
  const warnings = report.warnings.map((w) => `  ! ${w}`);
  return `${[head, ...report.groups.flatMap((group) => groupLines(report, group)), ...warnings, `sizing: ${where} (and sizing.html, sizing.json; every assumption is listed there)`].join('\n')}\n`;
}

function groupLines(report: SizingReport, group: SizingGroup): string[] {
  const lines = report.groups.length > 1 ? [`\n${groupTitle(group)}`] : [''];
  lines.push('MEASURED');
  lines.push(`  ${'N'.padStart(5)}  ${'status'.padEnd(11)} ${'orders/s'.padStart(9)} ${'ok ops/s'.padStart(9)} ${'p99 ms'.padStart(8)}`);
  for (const level of group.levels) {
    const figure = (value: number | undefined) => (value === undefined ? NO_VALUE : formatDecimal(value));
    lines.push(
      `  ${String(level.concurrency).padStart(5)}  ${level.status.padEnd(11)} ${figure(level.ordersPerSecond).padStart(9)} ` +
        `${figure(level.okOpsPerSecond).padStart(9)} ${figure(level.p99Ms).padStart(8)}${level.fitted ? '' : '  (not fitted)'}`,
    );
  }
  const fit = group.orders;
  lines.push(`FITTED (orders/s): ${USL_FORMULA}`);
  if (fit.kind === 'not-fitted') {
    lines.push(`  not fitted: ${fit.reason}`);
    return lines;
  }
  const q = fit.quality;
  lines.push(
    `  λ = ${formatDecimal(fit.parameters.lambda)}, σ = ${formatParameter(fit.parameters.sigma)}, κ = ${formatParameter(fit.parameters.kappa)}; ` +
      `R² ${q.rSquared === null ? NO_VALUE : q.rSquared.toFixed(4)}, RMSE ${formatDecimal(q.rmse)} ${fit.unit}, ` +
      `max relative error ${formatFraction(q.maxRelativeError)} (${q.points} points, ${q.degreesOfFreedom} degrees of freedom)`,
  );
  lines.push(fit.peakExtrapolated ? 'PEAK (extrapolated)' : 'PEAK (modelled, within the measured levels)');
  lines.push(`  N* ${peakConcurrencyText(fit)}; X(N*) ${peakThroughputText(fit)}`);
  if (report.targetOrdersPerSecond !== null) {
    lines.push(`EXTRAPOLATED: units for ${formatDecimal(report.targetOrdersPerSecond)} orders/s (nothing past one unit was run)`);
    if (!group.sizing) lines.push(`  ${notSizedText(group)}`);
    else lines.push(`  ${measuredBasisText(group.sizing)}`, `  ${modelBasisText(group.sizing)}`);
  }
  return lines;
}
