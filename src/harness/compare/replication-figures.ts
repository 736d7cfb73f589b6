import type { RunResults } from '../results/results-types.ts';
import type { CountRow } from './comparison-types.ts';

// Figures that only some topologies have (conflicts on multi-leader, central's freshness on
// regional-central), side by side: null where a run's topology has no such thing, which the
// renderers show as "–", never as a reassuring 0.

type Pick = (results: RunResults) => number | null | undefined;

interface FigureSpec {
  readonly name: string;
  readonly label: string;
  readonly unit: CountRow['unit'];
  readonly pick: Pick;
}

const FIXED: readonly FigureSpec[] = [
  { name: 'conflicts', label: 'multi-leader conflicts (pglogical, all kinds)', unit: 'count', pick: (r) => r.multiLeader?.conflicts.total },
  { name: 'divergentRows', label: 'rows still different between leaders', unit: 'count', pick: (r) => r.multiLeader?.divergence.rows },
  { name: 'convergenceMs', label: 'leaders converged after heal', unit: 'ms', pick: (r) => r.multiLeader?.convergenceMs },
];

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Per-direction lag (multi-leader) and per-region freshness of central: a row per key any run has. */
function keyedSpecs(results: readonly RunResults[]): FigureSpec[] {
  const directions = [...new Set(results.flatMap((r) => Object.keys(r.multiLeader?.lagMs ?? {})))];
  const regions = [...new Set(results.flatMap((r) => Object.keys(r.regionalCentral?.freshnessMs ?? {})))];
  return [
    ...directions.map((direction) => ({
      name: `lag.${direction}.p99`,
      label: `replication lag ${direction}, p99`,
      unit: 'ms' as const,
      pick: (r: RunResults) => r.multiLeader?.lagMs[direction]?.p99,
    })),
    ...regions.map((region) => ({
      name: `freshness.${region}.max`,
      label: `central's view of ${region}: staleness max`,
      unit: 'ms' as const,
      pick: (r: RunResults) => r.regionalCentral?.freshnessMs[region]?.max,
    })),
  ];
}

export function replicationFigures(results: readonly RunResults[]): CountRow[] {
  return [...FIXED, ...keyedSpecs(results)]
    .map((spec) => ({
      name: spec.name,
      label: spec.label,
      unit: spec.unit,
      better: 'lower' as const,
      key: false,
      values: results.map((r) => finite(spec.pick(r))),
    }))
    .filter((row) => row.values.some((value) => value !== null));
}
