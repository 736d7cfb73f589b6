import { seconds, type LagPoint } from './digest-types.ts';

// Replication lag per replica over time. The sampler writes a few samples per second per replica;
// for the chart each replica keeps the largest staleness and replay lag per bucket (the worst is
// what a reader could have seen), so a long run still yields about a thousand points per line.

interface Worst {
  staleness: number;
  replay: number | undefined;
}

export class LagSeries {
  private readonly byNode = new Map<string, Map<number, Worst>>();

  constructor(private readonly bucketMs: number) {}

  add(node: string, atMs: number, stalenessMs: number, replayLagMs: number | undefined): void {
    let buckets = this.byNode.get(node);
    if (buckets === undefined) {
      buckets = new Map();
      this.byNode.set(node, buckets);
    }
    const index = Math.floor(atMs / this.bucketMs);
    const worst = buckets.get(index);
    if (worst === undefined) buckets.set(index, { staleness: stalenessMs, replay: replayLagMs });
    else {
      worst.staleness = Math.max(worst.staleness, stalenessMs);
      if (replayLagMs !== undefined) worst.replay = Math.max(worst.replay ?? 0, replayLagMs);
    }
  }

  /** Points in node then time order, up to `endMs`. */
  points(endMs: number): LagPoint[] {
    const points: LagPoint[] = [];
    for (const node of [...this.byNode.keys()].sort()) {
      const buckets = this.byNode.get(node)!;
      for (const index of [...buckets.keys()].sort((a, b) => a - b)) {
        const worst = buckets.get(index)!;
        const atMs = index * this.bucketMs;
        if (atMs >= endMs) continue;
        const t = seconds(atMs);
        points.push({ t, node, series: 'staleness', ms: round(worst.staleness) });
        if (worst.replay !== undefined) points.push({ t, node, series: 'replay lag', ms: round(worst.replay) });
      }
    }
    return points;
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
