import { concurrencyFor, uslPeak, type UslParameters } from './usl-model.ts';

// How many copies of the measured topology (a "unit": shards, or regions each serving its own
// customers) a target needs. Two answers, kept apart because they rest on different ground:
// one from the best throughput a unit was seen to reach, one from the fitted model's peak at a
// chosen operating point. Both assume the load splits across units and adds up linearly.

export interface UnitSizingInput {
  /** Orders per second the whole system must sustain. */
  readonly target: number;
  /** Fraction of the modelled peak each unit is run at (0 < f ≤ 1), headroom for bursts and failover. */
  readonly operatingPoint: number;
  readonly fit: UslParameters;
  /** The best measured level. */
  readonly best: { readonly concurrency: number; readonly throughput: number };
  readonly maxMeasuredConcurrency: number;
  /** Database nodes in one unit (primary + replicas, coordinator + shards...). */
  readonly nodesPerUnit: number;
}

export interface MeasuredBasis {
  readonly perUnit: number;
  readonly atConcurrency: number;
  /** null when the best level had no throughput at all. */
  readonly units: number | null;
  readonly nodes: number | null;
}

export type ModelBasis =
  | {
      readonly kind: 'sized';
      readonly peakConcurrency: number;
      readonly peakThroughput: number;
      /** The peak lies beyond the largest concurrency measured. */
      readonly peakExtrapolated: boolean;
      readonly perUnit: number;
      /** Clients per unit at which the model reaches the operating point (rising side). */
      readonly concurrencyPerUnit: number | null;
      readonly units: number;
      readonly nodes: number;
    }
  | { readonly kind: 'no-peak'; readonly reason: string };

export interface UnitSizing {
  readonly target: number;
  readonly operatingPoint: number;
  readonly measured: MeasuredBasis;
  readonly model: ModelBasis;
}

export function sizeUnits(input: UnitSizingInput): UnitSizing {
  const { target, operatingPoint, best, nodesPerUnit } = input;
  const measuredUnits = best.throughput > 0 ? unitsFor(target, best.throughput) : null;
  return {
    target,
    operatingPoint,
    measured: {
      perUnit: best.throughput,
      atConcurrency: best.concurrency,
      units: measuredUnits,
      nodes: measuredUnits === null ? null : measuredUnits * nodesPerUnit,
    },
    model: modelBasis(input),
  };
}

function modelBasis({ target, operatingPoint, fit, maxMeasuredConcurrency, nodesPerUnit }: UnitSizingInput): ModelBasis {
  const peak = uslPeak(fit);
  if (peak.kind === 'ceiling') {
    return {
      kind: 'no-peak',
      reason:
        `the fit has κ = 0: throughput keeps rising towards λ/σ = ${round(peak.ceiling)} without a peak, so there is no peak ` +
        'to take a share of; measure higher concurrency until throughput stops rising',
    };
  }
  if (peak.kind === 'unbounded' || !(peak.throughput > 0)) {
    return {
      kind: 'no-peak',
      reason: 'the fit has σ = 0 and κ = 0: throughput grows linearly with no bound in the model; measure higher concurrency until it bends',
    };
  }
  const perUnit = peak.throughput * operatingPoint;
  const units = unitsFor(target, perUnit);
  return {
    kind: 'sized',
    peakConcurrency: peak.concurrency,
    peakThroughput: peak.throughput,
    peakExtrapolated: peak.concurrency > maxMeasuredConcurrency,
    perUnit,
    concurrencyPerUnit: concurrencyFor(fit, perUnit) ?? null,
    units,
    nodes: units * nodesPerUnit,
  };
}

/** Whole units, at least one; a hair of floating-point error does not buy a whole extra unit. */
export function unitsFor(target: number, perUnit: number): number {
  return Math.max(1, Math.ceil(target / perUnit - 1e-9));
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
