import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { uslThroughput, type UslParameters } from './usl-model.ts';

// Fits the USL to measured (N, X) points by nonlinear least squares on X itself (not Gunther's
// linearised form, which weighs the points unevenly). Levenberg–Marquardt is a local method and
// the USL's error surface has a long valley where σ and κ trade off, so it starts from the best
// point of a bounded grid over σ ∈ [0, 1], κ ≥ 0, on which λ is solved in closed form (X is
// linear in λ). The grid alone already gives a deterministic, bounded answer; LM polishes it,
// and is kept only when it did better.

export interface MeasuredPoint {
  readonly concurrency: number;
  readonly throughput: number;
}

export interface FitQuality {
  /** 1 − SSE/SST; null when every point has the same throughput (nothing to explain). */
  readonly rSquared: number | null;
  /** Root mean square of the residuals, in the series' unit. */
  readonly rmse: number;
  /** Largest |fitted − measured| / measured over points with a measured value above 0. */
  readonly maxRelativeError: number | null;
  readonly points: number;
  readonly levels: number;
  /** points − 3 fitted parameters: 0 means the curve can pass through every point whatever the truth. */
  readonly degreesOfFreedom: number;
}

export interface UslFit {
  readonly parameters: UslParameters;
  readonly quality: FitQuality;
  /** Fitted value at each measured point, in input order. */
  readonly fitted: readonly number[];
}

/** The points cannot support a fit; the message says what is missing. */
export class UslFitError extends Error {
  override readonly name = 'UslFitError';
}

export const MIN_LEVELS = 3;

export function fitUsl(points: readonly MeasuredPoint[]): UslFit {
  checkPoints(points);
  const ns = points.map((p) => p.concurrency);
  const xs = points.map((p) => p.throughput);
  const grid = gridSearch(ns, xs);
  const polished = polish(ns, xs, grid);
  const best = polished && sse(ns, xs, polished) < sse(ns, xs, grid) ? polished : grid;
  const fitted = ns.map((n) => uslThroughput(best, n));
  return { parameters: best, quality: quality(ns, xs, fitted), fitted };
}

function checkPoints(points: readonly MeasuredPoint[]): void {
  for (const { concurrency, throughput } of points) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UslFitError(`concurrency must be a whole number of clients ≥ 1, got ${concurrency}`);
    if (!Number.isFinite(throughput) || throughput < 0) throw new UslFitError(`throughput must be a finite number ≥ 0, got ${throughput} at N=${concurrency}`);
  }
  const levels = new Set(points.map((p) => p.concurrency)).size;
  if (levels < MIN_LEVELS) {
    throw new UslFitError(
      `the USL has 3 parameters (λ, σ, κ) and needs measurements at ${MIN_LEVELS} or more concurrency levels; got ${levels}` +
        (levels > 0 ? ` (${[...new Set(points.map((p) => p.concurrency))].join(', ')})` : ''),
    );
  }
  if (points.every((p) => p.throughput === 0)) throw new UslFitError('every measured throughput is 0: there is no curve to fit');
}

// σ in steps of 0.005; κ = 0 and 10⁻⁹ … 10 in 20 steps a decade: 201 × 201 points, a few ms.
const SIGMAS = Array.from({ length: 201 }, (_, i) => i / 200);
const KAPPAS = [0, ...Array.from({ length: 201 }, (_, i) => 10 ** (-9 + i / 20))];

function gridSearch(ns: readonly number[], xs: readonly number[]): UslParameters {
  let best: UslParameters = { lambda: 0, sigma: 0, kappa: 0 };
  let bestError = Infinity;
  for (const sigma of SIGMAS) {
    for (const kappa of KAPPAS) {
      const candidate = withBestLambda(ns, xs, sigma, kappa);
      const error = sse(ns, xs, candidate);
      if (error < bestError) {
        bestError = error;
        best = candidate;
      }
    }
  }
  return best;
}

/** For fixed σ, κ the model is λ·f(N): least squares gives λ = Σ X f / Σ f². */
function withBestLambda(ns: readonly number[], xs: readonly number[], sigma: number, kappa: number): UslParameters {
  let xf = 0;
  let ff = 0;
  ns.forEach((n, i) => {
    const f = n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    xf += xs[i]! * f;
    ff += f * f;
  });
  return { lambda: ff > 0 ? Math.max(0, xf / ff) : 0, sigma, kappa };
}

/**
 * LM on scaled parameters, so each moves the curve by a comparable amount at the largest N
 * (the library's damping is the same for every parameter): a = λ/Xmax, s = σ·Nmax,
 * k = κ·Nmax². Bounds keep σ in [0, 1] and κ, λ ≥ 0. Undefined when LM produced nothing usable.
 */
function polish(ns: readonly number[], xs: readonly number[], start: UslParameters): UslParameters | undefined {
  const nMax = Math.max(...ns);
  const xMax = Math.max(...xs);
  const y = xs.map((x) => x / xMax);
  const model = ([a, s, k]: number[]) => (n: number) => (a! * n) / (1 + (s! * (n - 1)) / nMax + (k! * n * (n - 1)) / nMax ** 2);
  const jacobian = ([a, s, k]: number[]) => (n: number) => {
    const d = 1 + (s! * (n - 1)) / nMax + (k! * n * (n - 1)) / nMax ** 2;
    return [n / d, (-a! * n * (n - 1)) / nMax / d ** 2, (-a! * n * n * (n - 1)) / nMax ** 2 / d ** 2];
  };
  try {
    const result = levenbergMarquardt({ x: [...ns], y }, model, {
      initialValues: [start.lambda / xMax, start.sigma * nMax, start.kappa * nMax ** 2],
      jacobianFunction: jacobian,
      minValues: [0, 0, 0],
      maxValues: [Number.MAX_SAFE_INTEGER, nMax, Number.MAX_SAFE_INTEGER],
      maxIterations: 200,
      errorTolerance: 1e-15,
    });
    const [a, s, k] = result.parameterValues;
    if (![a, s, k].every((v) => v !== undefined && Number.isFinite(v))) return undefined;
    // λ re-solved exactly for the σ, κ LM found.
    return withBestLambda(ns, xs, Math.min(1, s! / nMax), k! / nMax ** 2);
  } catch {
    return undefined;
  }
}

function sse(ns: readonly number[], xs: readonly number[], parameters: UslParameters): number {
  return ns.reduce((sum, n, i) => sum + (uslThroughput(parameters, n) - xs[i]!) ** 2, 0);
}

function quality(ns: readonly number[], xs: readonly number[], fitted: readonly number[]): FitQuality {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const residual = xs.reduce((sum, x, i) => sum + (fitted[i]! - x) ** 2, 0);
  const total = xs.reduce((sum, x) => sum + (x - mean) ** 2, 0);
  const relative = xs.flatMap((x, i) => (x > 0 ? [Math.abs(fitted[i]! - x) / x] : []));
  return {
    rSquared: total > 0 ? 1 - residual / total : null,
    rmse: Math.sqrt(residual / xs.length),
    maxRelativeError: relative.length > 0 ? Math.max(...relative) : null,
    points: xs.length,
    levels: new Set(ns).size,
    degreesOfFreedom: xs.length - 3,
  };
}
