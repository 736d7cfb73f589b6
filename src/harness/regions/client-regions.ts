import type { Region } from '../scenario/schema.ts';
import type { RegionSpec } from '../scenario/region-schema.ts';

// Which region each client worker lives in. Workers are split by the regions' `clients` weights
// with the largest-remainder method, in declaration order, so the split is the same in every run
// and every region with a positive weight gets a worker whenever there are enough of them.

export interface ClientRegion {
  readonly region: string;
  /** Customer regions the worker serves; undefined: every customer. */
  readonly customers: readonly Region[] | undefined;
}

/** The party name of a region's clients on the network (links are named `clients@<region>->node`). */
export const clientParty = (region: string): string => `clients@${region}`;

export function splitByWeight(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  // A region with clients but no whole worker yet goes first, then the largest remainders.
  const order = exact
    .map((value, i) => ({ i, starved: weights[i]! > 0 && counts[i] === 0, remainder: value - counts[i]! }))
    .sort((a, b) => Number(b.starved) - Number(a.starved) || b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    if (weights[i]! <= 0) continue;
    counts[i]!++;
    left--;
  }
  return counts;
}

/** One entry per worker (index = worker), or undefined when the scenario declares no regions. */
export function assignClientRegions(regions: Readonly<Record<string, RegionSpec>> | undefined, workers: number): ClientRegion[] | undefined {
  if (regions === undefined) return undefined;
  const names = Object.keys(regions);
  const counts = splitByWeight(names.map((name) => regions[name]!.clients), workers);
  const assigned: ClientRegion[] = [];
  names.forEach((name, i) => {
    for (let k = 0; k < counts[i]!; k++) assigned.push({ region: name, customers: regions[name]!.customers });
  });
  return assigned;
}
