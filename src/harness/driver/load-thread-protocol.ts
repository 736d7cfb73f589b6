import type { RecorderSnapshot, IntervalSnapshot } from '../metrics/latency-recorder.ts';
import type { LoopCounters } from '../metrics/saturation/loop-counters.ts';
import type { RegionSpec } from '../scenario/region-schema.ts';
import type { WorkloadSpec } from '../scenario/schema.ts';
import type { ThreadWorkloadRecipe } from '../workload/workload-types.ts';
import type { DriverOutcome } from './load-runner.ts';
import type { RouteTable } from './worker-routes.ts';

// The message protocol between the run (threaded-load-driver.ts) and a load thread
// (load-thread-main.ts). Everything is plain data (structured clone), nothing shares memory, so a
// load worker could run in another process or on another machine with the same messages: it takes
// a plan, streams back encoded histograms and counters, and writes its own time-ordered history
// file that the run merges by time when the history closes.
//
//   workerData  LoadThreadPlan
//   <- ready                          the workload is built and the history file open
//   -> start { loadStart, runStart, end }  run-clock times: the load (an open loop's schedule) began at
//                                     loadStart, warmup until runStart, no start after end
//                                     (Infinity: until an end-at)
//   -> routes { routes }              the routes changed (a failover, a restarted container)
//   -> end-at { time }                the run's extension after heals moved the end
//   -> interrupt                      Ctrl-C or a failure: cut the connections, finish now
//   <- tick { ... }                   every TICK_MS: counters and the progress histogram since the last tick
//   <- done { ... }                   the load ended and the history file is closed; the thread exits
//   <- error { message }              the thread failed; the run fails with this message

/** How often a load thread reports its progress figures and counters. */
export const TICK_MS = 100;

export interface LoadThreadPlan {
  readonly thread: number;
  readonly threads: number;
  /** The worker indices this thread runs (w ≡ thread mod threads). */
  readonly workers: readonly number[];
  readonly spec: WorkloadSpec;
  readonly seed: number;
  readonly regions?: Readonly<Record<string, RegionSpec>> | undefined;
  readonly workload: ThreadWorkloadRecipe;
  /** The run clock's origin (performance.timeOrigin + origin) and wall origin, ms since the epoch. */
  readonly clock: { readonly epochOrigin: number; readonly wallOrigin: number };
  readonly historyPath: string;
  readonly routes: RouteTable;
}

export type ToLoadThread =
  | { readonly kind: 'start'; readonly loadStart: number; readonly runStart: number; readonly end: number }
  | { readonly kind: 'routes'; readonly routes: RouteTable }
  | { readonly kind: 'end-at'; readonly time: number }
  | { readonly kind: 'interrupt' };

export interface ThreadCounters {
  readonly opsInvoked: number;
  readonly writesInvoked: number;
}

export type { LoopCounters };

export type FromLoadThread =
  | { readonly kind: 'ready' }
  | ({ readonly kind: 'tick'; readonly interval: IntervalSnapshot; readonly loop: LoopCounters } & ThreadCounters)
  | ({
      readonly kind: 'done';
      readonly outcome: DriverOutcome;
      readonly interval: IntervalSnapshot;
      readonly recorder: RecorderSnapshot;
      readonly regions: Readonly<Record<string, RecorderSnapshot>>;
    } & ThreadCounters)
  | { readonly kind: 'error'; readonly message: string };
