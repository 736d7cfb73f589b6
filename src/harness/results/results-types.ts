import type { CheckResult } from '../checker/checker-types.ts';
import type { OperationName, Scenario } from '../scenario/schema.ts';
import type { TopologyNodeInfo } from './topology-record.ts';
import type { DatasetSummary } from '../workload/workload-types.ts';
import type { MultiLeaderResults } from './multi-leader-results.ts';
import type { DistributedCommitResults } from './distributed-commit-results.ts';
import type { PartitionedLayoutResults } from './partitioned-layout-results.ts';
import type { RegionalCentralResults } from './regional-central-results.ts';
import type { LoadExtension } from './load-extension.ts';
import type { OverloadVerdict, SaturationResults } from './saturation-results.ts';

/** What a run is marked with when its figures describe less than the database: see results.load.overload and results.saturation. */
export type RunMark = 'overloaded' | 'harness-bound' | 'cpu-contended';

// results.json: the machine-readable record of a run. Other tools read it, so fields are only
// ever added; schemaVersion changes when a field changes meaning.

export const RESULTS_SCHEMA_VERSION = 1;

/** Why a scheduled arrival never started. */
export type DropReason =
  /** It waited longer than workload.loop.maxQueueDelay for a free connection. */
  | 'queue'
  /** The run phase ended before any connection was free for it. */
  | 'end';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export interface OperationStats {
  /** Completed operations in the measured phase (ok + fail + info). */
  readonly count: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** Completed operations per second over the measured phase. */
  readonly throughput: number;
  readonly errors: Record<string, number>;
  /** Milliseconds, over every completed operation (ok, fail and info). */
  readonly latencyMs: LatencySummary;
  /** pg-partitioned: shards one execution touched, measured from the shards' statistics. */
  readonly fanout?: number;
}

/** One fault occurrence as it happened; times in ms from the start of the measured run. */
/** One client region's share of the run: its workers and their operations. */
export interface RegionResults {
  readonly workers: number;
  readonly operations: Partial<Record<OperationName, OperationStats>>;
  readonly totals: OperationStats;
}

export interface FaultRecord {
  readonly id: number;
  readonly kind: string;
  readonly targets: readonly string[];
  readonly startMs: number;
  readonly endMs?: number;
  readonly error?: string;
}

export interface FailoverRecord {
  readonly from: string;
  readonly to: string;
  /** When the loss was detected and when the new primary took writes (ms from the measured run's start). */
  readonly detectedAtMs: number;
  readonly promotedAtMs: number;
}

/** pg-partitioned: what one shard held and served, from its own pg_stat_user_tables. */
export interface ShardLoad {
  readonly name: string;
  /** Live rows and bytes (with indexes and TOAST) of the partitioned tables, as the run ended. */
  readonly rows: number;
  readonly bytes: number;
  /** Over the measured run (warmup included): scans started (seq + index), rows inserted, rows updated. */
  readonly reads: number;
  readonly inserts: number;
  readonly updates: number;
}

/** max / mean over shards; null when no shard saw any of it. */
export interface ShardSkew {
  readonly reads: number | null;
  readonly inserts: number | null;
  readonly updates: number | null;
}

/** One shard's load in one sampling second; time in s from the measured run's start (warmup < 0). */
export interface ShardLoadPoint {
  readonly time: number;
  readonly shard: string;
  readonly reads: number;
  readonly inserts: number;
  readonly updates: number;
}

export type RunStatus = 'completed' | 'failed' | 'interrupted';

/** What a partial report was made from, and what it cannot say. */
export interface PartialRunSummary {
  /** The harness stopped without writing its reports (SIGKILL, a crash, the machine going down). */
  readonly reason: 'harness-stopped';
  /** The harness's process id, from the PARTIAL marker. */
  readonly pid: number;
  readonly summarisedAt: string;
  /** The files of the run folder the summary was made from. */
  readonly from: readonly string[];
  readonly historyEvents: number;
  /** Operations invoked and never completed: their outcome is unknown, and they are in no figure. */
  readonly inFlight: number;
  /** A last history line cut short by the kill (skipped), by its line number. */
  readonly truncatedLine?: number;
  /** The last progress sample (timeseries.jsonl): seconds after the load began, and its phase. */
  readonly lastProgress?: { readonly t: number; readonly phase: string };
}

/** Local processes, or containers of one image: its reference, local id (sha256:…) and registry digest when it came from one. */
export interface ProviderRecord {
  readonly kind: 'local' | 'containers';
  readonly image?: { readonly ref: string; readonly id: string; readonly digest?: string };
}

export interface RunResults {
  readonly schemaVersion: number;
  readonly scenario: { readonly name: string; readonly description: string; readonly seed: number };
  readonly resolvedScenario: Scenario;
  readonly run: {
    readonly id: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly status: RunStatus;
    /** Why a run failed or was interrupted: a message for people, never a stack trace. */
    readonly error?: string;
    /** Wall time of each phase that ran, in ms, in run order. */
    readonly phasesMs: Record<string, number>;
    /** Length of the measured (run) phase in ms, the extension after heals included. */
    readonly measuredMs: number;
    /** Runs with faults: how far the load ran past workload.duration so that recovery was observed (workload.afterLastHeal). */
    readonly extendedMs?: number;
    readonly extension?: LoadExtension;
    /** Set when the harness died before writing its reports and `faultline report` summarised what it left (partial-report.ts). */
    readonly partial?: PartialRunSummary;
  };
  readonly environment: {
    readonly node: string;
    /** The database engine and its version, e.g. "PostgreSQL 15.18" or "MongoDB 8.0.4". */
    readonly engine?: string;
    /** PostgreSQL runs only: the same as engine (kept for readers of older results). */
    readonly postgres?: string;
    /** Where the servers ran: local processes, or containers of an image. */
    readonly provider?: ProviderRecord;
    readonly cpus: number;
    readonly platform: string;
  };
  readonly topology: { readonly kind: string; readonly nodes: readonly TopologyNodeInfo[] };
  readonly dataset?: DatasetSummary;
  readonly load: {
    readonly loop: 'closed' | 'open';
    readonly workers: number;
    /** Load threads the workers ran in (workload.threads; absent in results written before threads existed). */
    readonly threads?: number;
    readonly targetRate?: number;
    /** Open loop: operations that started more than 1 ms after their intended time. */
    readonly lateStarts: number;
    /** Completed operations of the run phase per second of its measured length (run.measuredMs). */
    readonly achievedRate: number;
    /** Open loop: arrivals the schedule held for the run phase per second of it (targetRate, as Poisson arrivals drew it). */
    readonly offeredRate?: number;
    /** Open loop: arrivals of the run phase: started + dropped. */
    readonly scheduled?: number;
    /** Open loop: arrivals that never started (waited past workload.loop.maxQueueDelay, or no free connection before the phase ended). */
    readonly dropped?: number;
    readonly droppedBy?: Readonly<Record<DropReason, number>>;
    readonly droppedInWarmup?: number;
    /** Open loop: operations still in flight when workload.loop.grace ran out after the phase (their connections were closed). */
    readonly cutByGrace?: number;
    /** From the phase's end until its last operation completed, ms (part of run.measuredMs). */
    readonly drainMs?: number;
    /** Open loop: achieved against offered, and when short by more than the threshold, which side was saturated. */
    readonly overload?: OverloadVerdict;
  };
  readonly operations: Partial<Record<OperationName, OperationStats>>;
  readonly totals: OperationStats;
  /** Scenarios with regions: per client region, the same per-operation figures as above. */
  readonly regions?: Record<string, RegionResults>;
  /** The fault timeline as executed (empty without faults). */
  readonly faults: readonly FaultRecord[];
  readonly failovers: readonly FailoverRecord[];
  readonly checks: Record<string, CheckResult>;
  /** Marks that say the figures describe a limit other than the database's (empty: none). */
  readonly marks?: readonly RunMark[];
  /** Per second of the run phase: the harness's event loop and CPU, the database's CPU, and what they say. */
  readonly saturation?: SaturationResults;
  /** pg-partitioned only: where the load landed. */
  readonly shards?: readonly ShardLoad[];
  readonly skew?: ShardSkew;
  readonly shardSeries?: readonly ShardLoadPoint[];
  /** pg-partitioned with shard replicas, reference tables or vertical splits: where each copy and column group is, whether copies were current. */
  readonly partitionedLayout?: PartitionedLayoutResults;
  /** pg-multi-leader only: conflicts by kind, lag per direction, convergence after heal, divergence left. */
  readonly multiLeader?: MultiLeaderResults;
  /** pg-partitioned with distributedCommit: 2pc or a kill during commit: in-doubt transactions and how recovery ended them, the kills as they landed. */
  readonly distributedCommit?: DistributedCommitResults;
  /** pg-regional-central only: where each region's data lives, central's freshness per region, its analytics. */
  readonly regionalCentral?: RegionalCentralResults;
}
