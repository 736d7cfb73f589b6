import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import type { ArrivalCounts } from './open-loop-dispatch.ts';

/** What the run asks of the load, in one thread (LoadDriver) or several (ThreadedLoadDriver). */
export interface LoadRunner {
  /** Work before the load's clock starts (threads start and build their workload). */
  prepare?(): Promise<void>;
  /** Warmup then the run phase; `holdOpen`: the load goes on past runMs until endAt() says when. */
  run(warmupMs: number, runMs: number, holdOpen?: boolean): Promise<DriverOutcome>;
  /** Moves the end of the load (run clock); operations already started complete. */
  endAt(time: number): void;
  /** Ctrl-C or a failure: operations in flight are cut, nothing new starts. */
  stop(): void;
  readonly isStopped: boolean;
  /** Operations and writes invoked so far: how the run tells that load was tried after a heal. */
  readonly opsInvoked: number;
  readonly writesInvoked: number;
  /** One recorder per client region, beside the overall one. */
  readonly regionRecorders: ReadonlyMap<string, LatencyRecorder>;
}

export interface DriverOutcome {
  readonly workers: number;
  /** Workers per client region, when regions are declared. */
  readonly regionWorkers?: Readonly<Record<string, number>>;
  /**
   * Real length of the measured run phase in ms: from its start until its last operation
   * completed (or the open loop's grace cut it), whatever was planned; shorter when stopped.
   */
  readonly measuredMs: number;
  readonly lateStarts: number;
  /** From the phase's end (no operation starts after it) until its last operation completed, ms. */
  readonly drainMs: number;
  /** Open loop: what became of the scheduled arrivals. */
  readonly arrivals?: ArrivalCounts;
  /** Open loop: operations still in flight when workload.loop.grace ran out (their connections were closed). */
  readonly cutByGrace?: number;
}
