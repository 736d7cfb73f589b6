import type { FaultSurface } from '../harness/fault/fault-surface.ts';
import type { HistoryEvent, LagEvent, ShardLoadEvent } from '../harness/history/history-types.ts';
import type { DistributedCommitResults } from '../harness/results/distributed-commit-results.ts';
import type { MultiLeaderResults } from '../harness/results/multi-leader-results.ts';
import type { PartitionedLayoutResults } from '../harness/results/partitioned-layout-results.ts';
import type { RegionalCentralResults } from '../harness/results/regional-central-results.ts';
import type { ShardLoad, ShardLoadPoint, ShardSkew } from '../harness/results/results-types.ts';
import type { OperationName } from '../harness/scenario/schema.ts';
import type { Workload } from '../harness/workload/workload-types.ts';
import type { DbNode, Topology } from './topology.ts';

// What the run asks of any topology beyond the Topology protocol, written here with the abilities
// only some topologies have as small interfaces (implemented in topologies/postgres/...), so that
// nothing above needs a topology's folder.

/** pg-partitioned's shard load over the run (topologies/postgres/partitioned/shard-placement.ts). */
export interface PlacementReport {
  readonly shards: ShardLoad[];
  readonly skew: ShardSkew;
  readonly series: ShardLoadPoint[];
  /** Replicas, reference copies and column groups, when the scenario has any. */
  readonly layout?: PartitionedLayoutResults;
}

export interface ShardLoadProbe {
  /** Shard counters from here on count as the workload's (after the dataset). */
  markBaseline(): Promise<void>;
  startSampling(sink: (event: ShardLoadEvent) => void, now: () => number, runStart: number): void;
  stopSampling(): Promise<void>;
  report(): Promise<PlacementReport>;
  /** Shards each operation touches, each run once on an otherwise idle system (the probes write). */
  measureFanout(workload: Workload, ops: readonly OperationName[]): Promise<Partial<Record<OperationName, number>>>;
}

/** pg-partitioned's distributed checkout (topologies/postgres/partitioned/distributed/distributed-commit.ts). */
export interface DistributedCommitControl {
  /** The workload with checkout committing as the scenario says (plain FDW or 2pc). */
  wrap(workload: Workload, timeouts: { readonly connect: number; readonly statement: number }): Workload;
  /** Finishes whatever a node still holds prepared, before anything is checked. */
  resolveInDoubt(): Promise<void>;
  report(): DistributedCommitResults | undefined;
}

/** A topology the nemesis can break and whose events (failovers, roles) reach the history. */
export type FaultableTopology = Topology &
  FaultSurface & {
    observe(sink: (event: HistoryEvent) => void, now: () => number): void;
    /**
     * Nodes that each get the workload's schema and the whole seeded dataset, in order; the
     * primary alone when omitted. Multi-leader and regional topologies load every node, since
     * neither pglogical nor native logical replication copies DDL.
     */
    datasetNodes?(): readonly DbNode[];
    /** Runs after the workload's DDL, before the dataset: pg-partitioned moves tables to its shards here. */
    afterSchema?(): Promise<void>;
    /** Runs after the dataset is on every dataset node: subscriptions, regional pruning. */
    afterLoad?(): Promise<void>;
    /** Topologies with shards: per-shard load and per-operation fan-out, measured on the shards. */
    readonly placement?: ShardLoadProbe;
    /** pg-partitioned: distributed checkout (plain or 2pc), in-doubt recovery, kills at the commit point. */
    readonly distributedCommit?: DistributedCommitControl;
    /**
     * Replaces the run's heartbeat sampler (primary -> replicas) where replication runs otherwise:
     * pg-multi-leader samples every direction between leaders.
     */
    lagSampler?(sink: (event: LagEvent) => void, now: () => number): { start(): void; stop(): Promise<void> };
    /** pg-multi-leader: conflicts, lag per direction, convergence and divergence; after the final quiesce. */
    multiLeaderReport?(): Promise<MultiLeaderResults>;
    /** pg-regional-central: freshness per region (times from `runStart`) and central's analytics; after the checks. */
    regionalReport?(runStart: number): Promise<RegionalCentralResults>;
  };
