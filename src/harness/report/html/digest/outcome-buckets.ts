import type { Outcome } from '../../../history/history-types.ts';
import { seconds, type OutcomeBucket } from './digest-types.ts';

// Throughput and errors over time: completions counted per bucket by outcome, by the time they
// completed (a stall shows as a gap, then as a burst when the queued operations finish).

export class OutcomeBuckets {
  private readonly counts: { ok: number; fail: number; info: number }[] = [];

  constructor(private readonly bucketMs: number) {}

  add(outcome: Outcome, completedMs: number): void {
    const index = Math.floor(Math.max(0, completedMs) / this.bucketMs);
    for (let i = this.counts.length; i <= index; i++) this.counts.push({ ok: 0, fail: 0, info: 0 });
    const bucket = this.counts[index];
    if (bucket) bucket[outcome]++;
  }

  /** Rates per second for every bucket up to `endMs`, empty ones included (they are the outages). */
  buckets(endMs: number): OutcomeBucket[] {
    const rows: OutcomeBucket[] = [];
    for (let index = 0; index * this.bucketMs < endMs; index++) {
      const bucket = this.counts[index] ?? { ok: 0, fail: 0, info: 0 };
      // An interrupted run ends mid-bucket: its rate is over the part that ran, unless that part
      // is too short to give a rate that means anything.
      const widthMs = Math.min(this.bucketMs, endMs - index * this.bucketMs);
      if (widthMs < this.bucketMs / 10) break;
      const rate = (n: number) => Math.round((n * 100_000) / widthMs) / 100;
      rows.push({ t: seconds(index * this.bucketMs), ok: rate(bucket.ok), fail: rate(bucket.fail), info: rate(bucket.info) });
    }
    return rows;
  }
}
