import type { DropReason } from '../results/results-types.ts';
import type { OpGenerator, PlannedOp } from '../workload/workload-types.ts';

export type { DropReason };

// An open loop as k6's arrival-rate executors and wrk2 run it: arrivals follow the schedule
// whatever the servers do, a free connection takes the next one, and what cannot start in time
// is dropped and counted rather than queued without limit. Without the bound, a loop offered
// more than the system takes keeps draining its backlog long after the run phase (one run took
// 250 s for a 10 s phase) and its throughput describes the queue, not the system.

/** What became of an open loop's arrivals (results.json load). */
export interface ArrivalCounts {
  /** Arrivals intended in the measured run phase: started + dropped. */
  readonly scheduled: number;
  readonly started: number;
  readonly dropped: number;
  readonly droppedBy: Readonly<Record<DropReason, number>>;
  /** Arrivals of the warmup that were dropped (not in the figures above). */
  readonly droppedInWarmup: number;
  /** The schedule's window in the run phase (its start to the end of the phase), ms: the offered rate's denominator. */
  readonly windowMs: number;
}

/** The schedule as the dispatcher needs it (ArrivalSchedule). */
export interface Schedule {
  peek(): number;
  next(): number;
}

/** Counts every arrival once: started, or dropped with a reason; the warmup's apart. */
export class ArrivalLedger {
  private started = 0;
  private readonly dropped: Record<DropReason, number> = { queue: 0, end: 0 };
  private droppedInWarmup = 0;

  /** `runStart`: run-clock time at which the measured phase begins. */
  constructor(private readonly runStart: number) {}

  start(intended: number): void {
    if (intended >= this.runStart) this.started++;
  }

  drop(intended: number, reason: DropReason): void {
    if (intended >= this.runStart) this.dropped[reason]++;
    else this.droppedInWarmup++;
  }

  /** `end`: when the phase stopped taking arrivals (its end, or the moment the run was stopped). */
  counts(end: number): ArrivalCounts {
    const dropped = this.dropped.queue + this.dropped.end;
    return {
      scheduled: this.started + dropped,
      started: this.started,
      dropped,
      droppedBy: { ...this.dropped },
      droppedInWarmup: this.droppedInWarmup,
      windowMs: Math.max(0, end - this.runStart),
    };
  }
}

/**
 * Hands one group's arrivals (one schedule, one generator) to its connections. The generator is
 * asked only for arrivals that start, so the sequence of operations run is the seed's whatever
 * was dropped; the schedule decides only when they run.
 */
export class ArrivalDispatcher {
  constructor(
    private readonly schedule: Schedule,
    private readonly generator: OpGenerator,
    private readonly ledger: ArrivalLedger,
    private readonly maxQueueDelayMs: number,
  ) {}

  /**
   * The next arrival a connection free at `now` may start (at once, or at its intended time if
   * that is later), or undefined when no arrival before `end` is left. Arrivals that waited more
   * than maxQueueDelay, and every arrival before `end` once `now` has passed it, are dropped on
   * the way.
   */
  take(now: number, end: number): { op: PlannedOp; intended: number } | undefined {
    for (;;) {
      const intended = this.schedule.peek();
      // After the phase: not an arrival of this run at all.
      if (intended >= end) return undefined;
      this.schedule.next();
      if (now >= end) this.ledger.drop(intended, 'end');
      else if (now - intended > this.maxQueueDelayMs) this.ledger.drop(intended, 'queue');
      else return { op: this.generator.next(), intended };
    }
  }
}
