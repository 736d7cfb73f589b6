import type { RunResults } from '../../../harness/results/results-types.ts';
import type { FreshnessPoint, FreshnessSample, RegionalCentralResults, RegionPlacement, Spread } from '../../../harness/results/regional-central-results.ts';

export type { FreshnessPoint, RegionalCentralResults, RegionPlacement, Spread };

// Builds what pg-regional-central adds to results.json under `regionalCentral` (the record's
// types are in harness/results, where the report reads them).

/** Nearest-rank percentiles: observed values, never interpolations. */
export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  return { samples: sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1]! };
}

/** Keeps one run's samples (time and staleness, per key) until they are summarised. */
export class FreshnessRecord {
  private readonly samples = new Map<string, { times: number[]; values: number[] }>();

  add(sample: FreshnessSample): void {
    let kept = this.samples.get(sample.key);
    if (!kept) this.samples.set(sample.key, (kept = { times: [], values: [] }));
    kept.times.push(sample.time);
    kept.values.push(sample.stalenessMs);
  }

  spreads(keys: readonly string[]): Record<string, Spread | null> {
    return Object.fromEntries(keys.map((key) => [key, spreadOf(this.samples.get(key)?.values ?? [])]));
  }

  /** Each key's worst staleness per second, seconds counted from `origin` (the measured run's start). */
  series(keys: readonly string[], origin: number): FreshnessPoint[] {
    const points: FreshnessPoint[] = [];
    for (const key of keys) {
      const kept = this.samples.get(key);
      if (!kept) continue;
      const worst = new Map<number, number>();
      kept.times.forEach((time, i) => {
        const second = Math.floor((time - origin) / 1000);
        worst.set(second, Math.max(worst.get(second) ?? 0, kept.values[i]!));
      });
      for (const [time, maxMs] of worst) points.push({ time, region: key, maxMs });
    }
    return points.sort((a, b) => a.time - b.time || a.region.localeCompare(b.region));
  }
}

export function withRegionalCentral(results: RunResults, regional: RegionalCentralResults | undefined): RunResults {
  if (!regional) return results;
  const counts = results.checks['central-completeness']?.counts;
  return { ...results, regionalCentral: counts === undefined ? regional : { ...regional, completeness: counts } };
}
