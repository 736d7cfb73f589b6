// Issue 5: a client-facing check says what the customers of each client region saw, beside its
// totals. Counts are keyed `<name>@<region>` (e.g. `lost@eu-west`), by the region of the worker
// that ran the operation; without regions nothing is added, so such runs report exactly what
// they always did.

/** Which client region a worker lives in; undefined when the scenario declares none. */
export type RegionOfWorker = (worker: number) => string | undefined;

export const regionCountKey = (name: string, region: string): string => `${name}@${region}`;

export class RegionCounts {
  /** Region → its counts, and the lowest worker seen in it (the regions' declaration order). */
  private readonly regions = new Map<string, { firstWorker: number; counts: Map<string, number> }>();

  /** `names`: the counts every region that took part reports, 0 included, in this order. */
  constructor(
    private readonly regionOf: RegionOfWorker | undefined,
    private readonly names: readonly string[],
  ) {}

  /** Marks the worker's region as taking part (its counts show, even as 0); returns the region. */
  touch(worker: number): string | undefined {
    const region = this.regionOf?.(worker);
    if (region === undefined) return undefined;
    const known = this.regions.get(region);
    if (known) {
      known.firstWorker = Math.min(known.firstWorker, worker);
    } else {
      this.regions.set(region, { firstWorker: worker, counts: new Map(this.names.map((name) => [name, 0])) });
    }
    return region;
  }

  bump(worker: number, name: string): void {
    const region = this.touch(worker);
    if (region === undefined) return;
    const counts = this.regions.get(region)!.counts;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }

  /** `name@region` counts, grouped by name; regions in worker order, which is their declaration order. */
  toCounts(): Record<string, number> {
    const ordered = [...this.regions].sort(([, a], [, b]) => a.firstWorker - b.firstWorker);
    const result: Record<string, number> = {};
    for (const name of this.names) {
      for (const [region, { counts }] of ordered) result[regionCountKey(name, region)] = counts.get(name) ?? 0;
    }
    return result;
  }
}
