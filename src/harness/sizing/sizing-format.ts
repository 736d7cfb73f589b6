import { formatCount, formatDecimal, NO_VALUE } from '../report/format-number.ts';
import type { ModelBasis, UnitSizing } from './size-units.ts';
import type { MeasuredLevel, SeriesFit, SizingGroup } from './sizing-types.ts';

// The wording shared by sizing.md, sizing.html and the command's summary, so the three say the
// same thing, and every figure past the measurements carries the word "extrapolated".

/** σ and κ span many decades: three significant figures, exponent form when tiny. */
export function formatParameter(value: number): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  if (value === 0) return '0';
  return Math.abs(value) < 0.001 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}

export function formatFraction(value: number | null): string {
  return value === null ? NO_VALUE : `${formatDecimal(value * 100)}%`;
}

export function groupTitle(group: SizingGroup): string {
  return group.label === '' ? 'The measured unit' : group.label;
}

/** "N* ≈ 12.3 (extrapolated: beyond N = 4)" or why there is none. */
export function peakConcurrencyText(fit: Fitted): string {
  const maxN = Math.max(...fit.fitted.map((p) => p.concurrency));
  const { peak } = fit;
  if (peak.kind === 'ceiling') return `none: κ = 0, throughput rises towards λ/σ = ${formatDecimal(peak.ceiling)} ${fit.unit} without reaching it (extrapolated)`;
  if (peak.kind === 'unbounded') return 'none: σ = κ = 0, linear growth with no bound in the model (extrapolated)';
  const where = fit.peakExtrapolated ? `extrapolated: beyond the largest level measured, N = ${maxN}` : 'within the measured levels: interpolated';
  return `${formatDecimal(peak.concurrency)} clients (${where})`;
}

export function peakThroughputText(fit: Fitted): string {
  if (fit.peak.kind !== 'peak') return `${NO_VALUE} (no peak)`;
  return `${formatDecimal(fit.peak.throughput)} ${fit.unit} (${fit.peakExtrapolated ? 'extrapolated' : 'modelled'})`;
}

function units(count: number, nodes: number): string {
  return `${count} unit${count === 1 ? '' : 's'} (${nodes} node${nodes === 1 ? '' : 's'})`;
}

/** One sentence: what the best measured level implies, labelled as measured per unit, assumed beyond. */
export function measuredBasisText(sizing: UnitSizing): string {
  const { measured, target } = sizing;
  const head = `Measured per unit, scale-out assumed: the best level measured, N = ${measured.atConcurrency}, delivered ${formatDecimal(measured.perUnit)} orders/s`;
  if (measured.units === null || measured.nodes === null) return `${head}, so no number of such units reaches ${formatDecimal(target)} orders/s.`;
  return `${head}; ${formatDecimal(target)} orders/s needs ${units(measured.units, measured.nodes)}.`;
}

/** One sentence: what the model implies at the operating point, labelled extrapolated. */
export function modelBasisText(sizing: UnitSizing): string {
  return modelText(sizing.model, sizing.target, sizing.operatingPoint);
}

function modelText(model: ModelBasis, target: number, operatingPoint: number): string {
  if (model.kind === 'no-peak') return `Extrapolated from the model: not possible, ${model.reason}.`;
  const where = model.peakExtrapolated ? 'beyond the levels measured' : 'within the levels measured';
  const clients = model.concurrencyPerUnit === null ? '' : ` with about ${Math.max(1, Math.round(model.concurrencyPerUnit))} clients`;
  return (
    `Extrapolated from the model: a unit peaks at ${formatDecimal(model.peakThroughput)} orders/s at N* ≈ ${formatDecimal(model.peakConcurrency)} (${where}); ` +
    `at ${Math.round(operatingPoint * 100)}% of that it delivers ${formatDecimal(model.perUnit)} orders/s${clients}, ` +
    `so ${formatDecimal(target)} orders/s needs ${units(model.units, model.nodes)}.`
  );
}

type Fitted = Extract<SeriesFit, { kind: 'fitted' }>;

export const FIT_COLUMNS = ['', 'orders/s', 'ok operations/s'];

/** The fit of both series side by side, as plain text cells (renderers escape them). */
export function fitRows(group: SizingGroup): string[][] {
  const series = [group.orders, group.operations];
  const cell = (pick: (fit: Fitted) => string) => series.map((fit) => (fit.kind === 'fitted' ? pick(fit) : NO_VALUE));
  return [
    ['λ, one client alone', ...cell((f) => `${formatDecimal(f.parameters.lambda)} ${f.unit}`)],
    ['σ, contention', ...cell((f) => formatParameter(f.parameters.sigma))],
    ['κ, coherency', ...cell((f) => formatParameter(f.parameters.kappa))],
    ['R²', ...cell((f) => (f.quality.rSquared === null ? NO_VALUE : f.quality.rSquared.toFixed(4)))],
    ['RMSE', ...cell((f) => `${formatDecimal(f.quality.rmse)} ${f.unit}`)],
    ['max relative error', ...cell((f) => formatFraction(f.quality.maxRelativeError))],
    ['points (degrees of freedom)', ...cell((f) => `${f.quality.points} (${f.quality.degreesOfFreedom})`)],
    ['peak concurrency N* = √((1−σ)/κ)', ...cell(peakConcurrencyText)],
    ['peak throughput X(N*)', ...cell(peakThroughputText)],
  ];
}

/** Why a series has no fit, one line each. */
export function notFittedLines(group: SizingGroup): string[] {
  return [group.orders, group.operations].flatMap((fit) => (fit.kind === 'not-fitted' ? [`Not fitted (${fit.unit}): ${fit.reason}`] : []));
}

export const MEASURED_COLUMNS = ['clients N', 'status', 'orders/s', 'ok ops/s', 'checkout fail / info', 'p99 ms', 'checkout p99 ms'];

/** One row per level, as plain text cells. */
export function measuredRows(levels: readonly MeasuredLevel[]): string[][] {
  const figure = (value: number | undefined) => (value === undefined ? NO_VALUE : formatDecimal(value));
  return levels.map((level) => [
    String(level.concurrency),
    level.fitted ? level.status : `${level.status}${level.harnessBound ? ', harness-bound' : ''} (not fitted)`,
    figure(level.ordersPerSecond),
    figure(level.okOpsPerSecond),
    level.checkout ? `${formatCount(level.checkout.fail)} / ${formatCount(level.checkout.info)}` : NO_VALUE,
    figure(level.p99Ms),
    figure(level.checkout?.p99Ms),
  ]);
}

/** "Not sized: ..." when a target was given but this group could not be sized. */
export function notSizedText(group: SizingGroup): string {
  return `Not sized: ${group.orders.kind === 'not-fitted' ? group.orders.reason : 'no level completed'}.`;
}
