/**
 * An event loop other than the main thread's (a load thread's), for the saturation sampler: cumulative busy and idle ms
 * (performance.eventLoopUtilization) and CPU run and wait seconds (/proc/thread-self/schedstat,
 * null off Linux), and the timer delay of the last tick (p99 and max, ms).
 */
export interface LoopCounters {
  readonly activeMs: number;
  readonly idleMs: number;
  readonly run: number | null;
  readonly wait: number | null;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
}
