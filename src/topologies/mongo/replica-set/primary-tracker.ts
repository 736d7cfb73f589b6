import type { FailoverEvent, RolesEvent } from '../../../harness/history/history-types.ts';

/**
 * Turns samples of who says it is the writable primary into history events: `roles` whenever
 * the set changes (two at once is split brain, which MongoDB allows briefly: an isolated old
 * primary does not know yet), and `failover` when a new node became primary. MongoDB elects by
 * itself, so "detected" is when the old primary was last seen writable and "promoted" when the
 * new one first was: their difference is the election as clients feel it.
 */
export class PrimaryTracker {
  private previous = new Set<string>();
  private current: string | undefined;
  private lostAt: number | undefined;

  constructor(private readonly sink: (event: RolesEvent | FailoverEvent) => void) {}

  /** One sample: the names that answered isWritablePrimary, at `time`. */
  accept(time: number, writable: readonly string[]): void {
    const sorted = [...new Set(writable)].sort();
    const now = new Set(sorted);
    if (sorted.join(',') !== [...this.previous].sort().join(',')) this.sink({ type: 'roles', time, writable: sorted });
    if (this.current !== undefined && !now.has(this.current)) this.lostAt ??= time;
    if (this.current !== undefined && now.has(this.current)) this.lostAt = undefined;
    // Someone became primary who was not in the last sample: an election was won.
    const newcomer = sorted.find((name) => name !== this.current && !this.previous.has(name));
    this.previous = now;
    if (newcomer === undefined) return;
    if (this.current !== undefined) this.sink({ type: 'failover', from: this.current, to: newcomer, time, detectedAt: this.lostAt ?? time });
    this.current = newcomer;
    this.lostAt = undefined;
  }

  /** The node that most recently won an election (or was primary at the first sample). */
  get primary(): string | undefined {
    return this.current;
  }
}
