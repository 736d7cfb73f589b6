import type { ProbeResult, Runner } from './doctor-probe.ts';
import type { CheckContext } from '../harness/checker/checker-types.ts';
import type { CheckSet } from '../harness/checker/run-checks.ts';
import type { WorkerConnections } from '../harness/driver/op-connection.ts';
import type { LagEvent } from '../harness/history/history-types.ts';
import type { RunSandbox } from '../harness/process/run-sandbox.ts';
import type { ProviderRecord } from '../harness/results/results-types.ts';
import type { OperationName, Scenario } from '../harness/scenario/schema.ts';
import type { DatasetSummary, ThreadWorkloadRecipe, Workload } from '../harness/workload/workload-types.ts';
import type { FaultableTopology } from '../topologies/faultable-topology.ts';
import type { DbNode, Endpoint } from '../topologies/topology.ts';

// The Engine protocol (Jepsen's db.clj: a couple of required methods, optional abilities as small
// interfaces): one folder per engine under src/engines/, one line in registry.ts. The harness
// sees Engine, EngineRun, FaultableTopology and the FinalState port (harness/checker/final-state.ts),
// never a driver.

/** A database engine: the topology kinds it runs and how to create them. */
export interface Engine {
  /** Its name in messages ("PostgreSQL", "MongoDB"). */
  readonly name: string;
  /** The scenario topology kinds it runs (`topology.kind`). */
  readonly kinds: readonly string[];
  /** Of those, the kinds that run on the containers provider. */
  readonly containerKinds: readonly string[];
  /** How many servers hold a whole copy of the dataset (the disk preflight). */
  datasetCopies(topology: Scenario['topology']): number;
  /** False when the harness does not hold a socket per worker connection (the open-files preflight); true when omitted. */
  readonly workerSockets?: boolean;
  /** Before anything starts, local provider: why this machine cannot run the scenario (a binary missing), or undefined. */
  localProblem?(scenario: Scenario): Promise<string | undefined>;
  /** Before any container starts: rejects (ImageMissingError, exit 2) when the image is not here and may not be pulled. */
  checkImage?(provider: ContainersProviderSpec): Promise<void>;
  /** `faultline doctor`: what this engine needs on this machine, each tried for real. */
  doctorProbes?(run: Runner): Promise<ProbeResult[]>;
  /** What `faultline images` says of the engine's container image on this machine, in one line: present, buildable, or how to get it. */
  imageStatus?(): Promise<string>;
  /**
   * Creates the scenario's topology on its provider, nothing started yet, with what the run does
   * on it. `signal`: long provisioning stops its own waits on Ctrl-C.
   */
  provision(scenario: Scenario, sandbox: RunSandbox, signal?: AbortSignal): Promise<EngineRun>;
}

export type ContainersProviderSpec = Extract<Scenario['provider'], { kind: 'containers' }>;

/** A background sampler (lag, staleness) that runs while the load runs. */
export interface Sampler {
  start(): void;
  stop(): Promise<void>;
}

/** Every node's final state after heal and quiesce, and how this engine checks it. Disposing closes the connections. */
export interface FinalState extends AsyncDisposable {
  /** The checker context without the history and the scenario's bounds. */
  readonly context: Omit<CheckContext, 'historyPath' | 'bounds' | 'regionOfWorker'>;
  /** The engine's own checkers and which checks it can run. */
  readonly checks?: CheckSet;
}

/** One run's topology on one engine: what runScenario calls in its sequence. */
export interface EngineRun {
  readonly topology: FaultableTopology;
  /** Nodes whose logs are copied into the report; disposed after the topology. */
  readonly provider: AsyncDisposable & { readonly nodes: readonly { readonly name: string; readonly logPath: string }[] };
  /** Strings that must never appear in logs or reports (the per-run password). */
  readonly secrets: readonly string[];
  readonly engineVersion: string;
  /** For results.json: the provider, and the image when it is containers. */
  readonly runsOn?: ProviderRecord;
  /** The dialect's workload, as the load driver runs it. */
  readonly workload: Workload<unknown, unknown>;
  /** How a load thread builds the same workload (workload.threads > 1); omitted where the run's workload cannot be rebuilt in a thread. */
  readonly threadWorkload?: ThreadWorkloadRecipe;
  /** The workload's schema (and whatever the topology does after it), on the nodes that need it. */
  createSchema(): Promise<void>;
  /** The seeded dataset; stops within a second when `signal` aborts. The topology's `afterLoad` follows it (runScenario). */
  loadDataset(signal?: AbortSignal): Promise<DatasetSummary>;
  /** The run's heartbeat sampler (written on the primary, read on the others); none for a single node. */
  lagSampler(sink: (event: LagEvent) => void, now: () => number): Sampler | undefined;
  /** Every node's final state for the checks. `historyPath`: where the run's history is (files written beside it). */
  readFinalState(historyPath: string): Promise<FinalState>;
  /** Topologies with shards: how many shards each operation touches, probed after the checks (the probes write). */
  measureFanout?(operations: readonly OperationName[]): Promise<Partial<Record<OperationName, number>>>;
}

/** Worker connections of the engine's own (the load driver's PostgreSQL connections otherwise). */
export interface OwnConnections {
  openConnections(worker: number): WorkerConnections;
}

/** Clients of a region reach a node through that region's link. */
export interface RegionalEndpoints {
  endpointFor(node: DbNode, region: string | undefined): Endpoint;
}


export const hasOwnConnections = (run: EngineRun): run is EngineRun & OwnConnections => 'openConnections' in run && typeof run.openConnections === 'function';
export const hasRegionalEndpoints = (run: EngineRun): run is EngineRun & RegionalEndpoints => 'endpointFor' in run && typeof run.endpointFor === 'function';
