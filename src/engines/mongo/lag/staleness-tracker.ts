/**
 * The heartbeat arithmetic of staleness, apart from any database: a writer bumps a sequence on
 * the primary and notes when each value was acknowledged; a reader that sees value s on a
 * replica is missing write s+1, so it is at least (read start − ack time of s+1) behind.
 */
export class StalenessTracker {
  private readonly acked = new Map<number, number>();
  private seq = 0;

  constructor(private readonly remembered = 4_000) {}

  /** The next value to write. */
  next(): number {
    return ++this.seq;
  }

  acknowledged(seq: number, time: number): void {
    this.acked.set(seq, time);
    this.acked.delete(seq - this.remembered);
  }

  /** Staleness in ms of a read that started at `readStart` and saw `seen`; 0 when caught up. */
  staleness(seen: number, readStart: number): number {
    if (this.acked.size === 0) return 0;
    const oldest = Math.min(...this.acked.keys());
    const firstMissed = this.acked.get(seen + 1) ?? (seen + 1 < oldest ? this.acked.get(oldest) : undefined);
    return firstMissed === undefined ? 0 : Math.max(0, Math.round((readStart - firstMissed) * 1000) / 1000);
  }
}
