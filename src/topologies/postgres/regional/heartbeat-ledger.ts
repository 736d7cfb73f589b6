// Staleness as a reader feels it, the lag sampler's measure (metrics/lag-sampler.ts) kept per
// writer: a writer numbers its heartbeats and remembers when each was acknowledged; a reader that
// sees heartbeat s is missing every acknowledged one after s, so it is at least (read start −
// ack time of the first acknowledged heartbeat after s) behind, and 0 behind when it has them all.

const REMEMBERED = 4_000;

export class HeartbeatLedger {
  private last = 0;
  /** [seq, ack time] in increasing seq order (one writer at a time, so acks arrive in order). */
  private readonly acks: [number, number][] = [];

  /** The next heartbeat's number. */
  next(): number {
    return ++this.last;
  }

  acknowledge(seq: number, time: number): void {
    this.acks.push([seq, time]);
    if (this.acks.length > REMEMBERED) this.acks.shift();
  }

  /**
   * How stale a read started at `readStart` that saw heartbeat `seen` was, in ms. A heartbeat
   * whose write failed was never acknowledged, so the first acknowledged one after `seen` counts,
   * not simply seen + 1. Older than everything remembered: a lower bound from the oldest.
   */
  staleness(seen: number, readStart: number): number {
    let lo = 0;
    let hi = this.acks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.acks[mid]![0] <= seen) lo = mid + 1;
      else hi = mid;
    }
    const firstMissed = this.acks[lo];
    return firstMissed === undefined ? 0 : Math.max(0, Math.round((readStart - firstMissed[1]) * 1000) / 1000);
  }
}
