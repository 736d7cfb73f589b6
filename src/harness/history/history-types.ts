import type { OperationName } from '../scenario/schema.ts';

// The history is Jepsen's: every operation is an invoke followed by exactly one completion,
// ok (it happened), fail (it certainly did not happen) or info (unknown: it may have happened).
// Times are milliseconds since the run's time origin (performance.now() based, µs resolution).

export type Outcome = 'ok' | 'fail' | 'info';
export type Phase = 'load' | 'warmup' | 'run' | 'quiesce';

export interface InvokeEvent {
  readonly type: 'invoke';
  /** Operation id, unique in the run; the completion carries the same id. */
  readonly id: number;
  readonly f: OperationName;
  /** Worker (Jepsen's process) that ran it. */
  readonly worker: number;
  readonly node: string;
  readonly time: number;
  /** Open loop only: when the operation should have started; latency is measured from here. */
  readonly intended?: number;
  readonly value?: unknown;
}

export interface CompletionEvent {
  readonly type: Outcome;
  readonly id: number;
  readonly f: OperationName;
  readonly worker: number;
  readonly node: string;
  readonly time: number;
  /** Latency in ms (from intended start in open loop, from invoke in closed loop). */
  readonly latency: number;
  /** Error class for fail and info, e.g. "out-of-stock", "timeout", "connection", "pg:40001". */
  readonly error?: string;
  readonly value?: unknown;
}

export interface PhaseEvent {
  readonly type: 'phase';
  readonly phase: Phase;
  readonly time: number;
  readonly wallClock: string;
}

export type HistoryEvent = InvokeEvent | CompletionEvent | PhaseEvent;
