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

/** A fault occurrence starting or healing; targets are node names (or link names). */
export interface FaultEvent {
  readonly type: 'fault';
  readonly action: 'start' | 'end';
  readonly id: number;
  readonly kind: string;
  readonly targets: readonly string[];
  readonly time: number;
  readonly wallClock: string;
  /** Set when injecting or healing did not work; the run goes on. */
  readonly error?: string;
}

/** A replica was promoted; `time` is when the new primary accepted writes. */
export interface FailoverEvent {
  readonly type: 'failover';
  readonly from: string;
  readonly to: string;
  readonly time: number;
  readonly detectedAt: number;
}

/** A replica found past the new timeline's fork point was rewound and rejoined the primary. */
export interface RejoinEvent {
  readonly type: 'rejoin';
  readonly node: string;
  readonly time: number;
  readonly reason: string;
}

/** A staleness sample: how far behind the primary a replica's reads were. */
export interface LagEvent {
  readonly type: 'lag';
  readonly node: string;
  readonly time: number;
  readonly stalenessMs: number;
  readonly replayLagMs?: number;
}

/** Nodes accepting writes, recorded whenever the set changes (two at once is split brain). */
export interface RolesEvent {
  readonly type: 'roles';
  readonly time: number;
  readonly writable: readonly string[];
}

/**
 * failover.mode patroni: the cluster as Patroni's REST API shows it (GET /cluster from `source`),
 * recorded whenever a member's role, state or timeline, or the set of members answering 200 on
 * /primary (`leaders`), changes.
 */
export interface ManagerEvent {
  readonly type: 'manager';
  readonly time: number;
  readonly source: string;
  readonly leaders: readonly string[];
  readonly members: readonly { readonly name: string; readonly role: string; readonly state: string; readonly timeline?: number }[];
}

/** pg-partitioned: what one shard served since the previous sample (about a second), from its statistics. */
export interface ShardLoadEvent {
  readonly type: 'shard-load';
  readonly time: number;
  readonly shard: string;
  readonly reads: number;
  readonly inserts: number;
  readonly updates: number;
}

export type HistoryEvent =
  | InvokeEvent
  | CompletionEvent
  | PhaseEvent
  | FaultEvent
  | RejoinEvent
  | FailoverEvent
  | LagEvent
  | RolesEvent
  | ManagerEvent
  | ShardLoadEvent;
