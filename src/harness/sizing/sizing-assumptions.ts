import { formatDuration } from '../units/duration.ts';
import type { LoopSpec, Scenario } from '../scenario/schema.ts';
import { operationMix } from '../workload/ecommerce/operation-mix.ts';
import type { SizingReport } from './sizing-types.ts';

// Every figure past the measured levels rests on assumptions; they are written out as sentences
// in sizing.json and sizing.md, so a reader can see exactly what a unit count takes for granted.

export type SizingFacts = Omit<SizingReport, 'assumptions' | 'provenance' | 'warnings'>;

/** Below this many levels the fit has too few spare points for its error to mean much. */
export const RECOMMENDED_LEVELS = 5;

export function assumptionsFor(facts: SizingFacts, scenario: Scenario, scenarioLoop: LoopSpec): string[] {
  const mix = operationMix(scenario.workload);
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0);
  const checkout = mix.find((entry) => entry.f === 'checkout')?.weight ?? 0;
  const share = total > 0 ? Math.round((checkout / total) * 1000) / 10 : 0;
  const { customers, products } = scenario.workload.dataset;
  const pct = Math.round(facts.operatingPoint * 100);
  return [
    `A unit is one copy of the measured topology (${unitsText(facts)}). Going past one unit assumes the shop splits into ` +
      'independent shards or regions, one per unit, each serving its own customers with their orders, carts and stock, so ' +
      'that no operation touches two units; every unit then behaves exactly as the measured one, and throughput adds up ' +
      'linearly across units: no cross-unit coordination and no shared bottleneck (network, a global sequence, a coordinator).',
    'Orders/s counts checkouts that returned ok, per second of each run\'s measured phase. N is the number of closed-loop ' +
      'clients, each starting its next operation when the previous one ends: the N of the Universal Scalability Law.',
    `The operation mix stays the scenario's: checkout is ${share}% of operations by weight. A mix with more or fewer ` +
      'checkouts per visit changes the orders/s a unit delivers.',
    `Each unit holds a dataset of the measured size (${customers} customers, ${products} products); a unit with more data per ` +
      'node may be slower.',
    `Every server and the load generator ran on this one machine (${facts.cpus ?? 'unknown'} CPUs): the contention and ` +
      'coherency the fit measures include the harness\'s own CPU use and the servers competing with each other, so a unit on ' +
      'machines of its own would likely do better. The figures describe this machine.',
    `Each level is a single run of ${formatDuration(facts.durationMs)} after ${formatDuration(facts.warmupMs)} of warmup, ` +
      `all with seed ${facts.scenario.seed}: run-to-run variation is not measured. The fit error says how well the curve ` +
      'matches these single samples, not how repeatable they are.',
    `The modelled basis runs each unit at ${pct}% of its modelled peak (headroom for bursts, failover and the latency that ` +
      'climbs near the peak); the measured basis takes the best level exactly as measured.',
    'The USL keeps holding past the largest level measured: extrapolating assumes no new limit appears there ' +
      '(connection limits, memory, disk, the network).',
    ...(scenario.faults.length > 0 ? [`The scenario injects ${scenario.faults.length} fault(s); every level's throughput includes their effect.`] : []),
    ...(scenarioLoop.kind === 'open'
      ? [`The scenario's open loop (${scenarioLoop.rate} operations/s) is replaced by a closed loop at each level: the USL's N is a number of waiting clients.`]
      : []),
  ];
}

function unitsText(facts: SizingFacts): string {
  const described = facts.groups.flatMap((group) =>
    group.unit ? [`${group.label ? `${group.label}: ` : ''}${group.unit.kind}, ${group.unit.nodes.length} node(s): ${group.unit.nodes.join(', ')}`] : [],
  );
  return described.length > 0 ? described.join('; ') : 'no level ran, so its nodes are unknown';
}

export function provenanceFor(facts: SizingFacts): SizingReport['provenance'] {
  const maxN = Math.max(...facts.levels);
  return {
    measured:
      `Measured: throughput at N = ${facts.levels.join(', ')} clients, one run each (${formatDuration(facts.durationMs)} measured, ` +
      `seed ${facts.scenario.seed})${facts.groups.length > 1 ? ', for each group' : ''}. Nothing else in this report is a measurement.`,
    fitted: 'Fitted: λ, σ and κ, by least squares on those points; the curve between measured levels is interpolation.',
    extrapolated:
      `Extrapolated: the curve beyond N = ${maxN}, the peak whenever it lies there, and every unit and node count ` +
      '(the model plus the assumptions below: nothing past one unit was run).',
  };
}

export function warningsFor(facts: SizingFacts, scenario: Scenario): string[] {
  const warnings: string[] = [];
  if (facts.levels.length < RECOMMENDED_LEVELS) {
    warnings.push(
      `Only ${facts.levels.length} levels for 3 parameters (${facts.levels.length - 3} degree(s) of freedom): the curve can follow ` +
        `almost any ${facts.levels.length} points, so R² and RMSE cannot show that the USL is the wrong model; measure ${RECOMMENDED_LEVELS} or more levels.`,
    );
  }
  for (const group of facts.groups) {
    const prefix = group.label ? `${group.label}: ` : '';
    const failed = group.levels.filter((level) => !level.fitted);
    if (failed.length > 0) warnings.push(`${prefix}left out of the fit: ${failed.map((l) => `N=${l.concurrency} (${l.status})`).join(', ')}.`);
    const fit = group.orders;
    if (fit.kind === 'not-fitted') continue;
    if (fit.quality.rSquared !== null && fit.quality.rSquared < 0.9) {
      warnings.push(`${prefix}the orders/s fit explains only ${Math.round(fit.quality.rSquared * 100)}% of the variation (R²); its predictions are weak.`);
    }
    const maxN = Math.max(...fit.fitted.map((p) => p.concurrency));
    if (fit.peak.kind === 'peak' && fit.peak.concurrency > 2 * maxN) {
      warnings.push(
        `${prefix}the modelled peak (N* ≈ ${Math.round(fit.peak.concurrency)}) lies far beyond the largest level measured (N = ${maxN}); ` +
          'measure up to and past it before relying on it.',
      );
    }
    if (fit.peak.kind !== 'peak') warnings.push(`${prefix}throughput had not stopped rising at N = ${maxN}: the fit finds no peak (κ = 0).`);
    const superlinear = superlinearStep(fit.fitted);
    if (superlinear) {
      warnings.push(
        `${prefix}orders/s grew faster than the clients from N = ${superlinear.from} to N = ${superlinear.to} (superlinear): the USL, ` +
          'with σ, κ ≥ 0, cannot follow that. It usually means the lower level ran cold (a longer warmup helps) or was disturbed.',
      );
    }
  }
  if (scenario.faults.length > 0) warnings.push('The scenario injects faults: the throughput measured includes their effect.');
  return warnings;
}

/** The first pair of consecutive levels whose throughput ratio beats their concurrency ratio by over 5%. */
export function superlinearStep(points: readonly { readonly concurrency: number; readonly measured: number }[]): { from: number; to: number } | undefined {
  const sorted = [...points].sort((a, b) => a.concurrency - b.concurrency);
  for (let i = 1; i < sorted.length; i++) {
    const low = sorted[i - 1]!;
    const high = sorted[i]!;
    if (low.measured > 0 && high.measured / low.measured > (high.concurrency / low.concurrency) * 1.05) return { from: low.concurrency, to: high.concurrency };
  }
  return undefined;
}
