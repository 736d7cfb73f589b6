import type { CheckResult } from '../checker/checker-types.ts';
import type { DriverOutcome } from '../driver/load-driver.ts';
import type { LoadExtension } from './extend-load.ts';
import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import type { FailoverRecord, FaultRecord, ProviderRecord, RegionResults, RunResults, RunStatus } from '../results/results-types.ts';
import { RESULTS_SCHEMA_VERSION } from '../results/results-types.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { TopologyNodeInfo } from '../../topologies/topology.ts';
import type { DatasetSummary } from '../workload/workload-types.ts';
import { cpus } from 'node:os';
import type { SaturationSample } from '../results/saturation-sample.ts';
import { judgeOverload, judgeSaturation } from '../metrics/saturation/saturation-verdict.ts';
import { machineCores } from '../metrics/saturation/proc-cpu.ts';
import type { RunMark } from '../results/results-types.ts';

/** What a run has learned so far; a failed run reports whatever got filled in. */
export interface RunState {
  readonly runId: string;
  readonly startedAt: Date;
  readonly scenario: Scenario;
  status: RunStatus;
  error?: string;
  topologyKind: string;
  nodes: readonly TopologyNodeInfo[];
  engineVersion?: string;
  provider?: ProviderRecord;
  dataset?: DatasetSummary;
  driver?: DriverOutcome & { regions?: Record<string, RegionResults>; extension?: LoadExtension; saturation?: readonly SaturationSample[] };
  checks: Record<string, CheckResult>;
  faults: FaultRecord[];
  failovers: FailoverRecord[];
}

export function buildResults(state: RunState, recorder: LatencyRecorder, phasesMs: Record<string, number>): RunResults {
  const { scenario } = state;
  const measuredMs = state.driver?.measuredMs ?? 0;
  const { operations, totals } = recorder.summarize(measuredMs);
  const loop = scenario.workload.loop;
  const saturation = state.driver?.saturation ? judgeSaturation(state.driver.saturation, measuredMs, machineCores()) : undefined;
  const arrivals = state.driver?.arrivals;
  const offeredRate = arrivals && arrivals.windowMs > 0 ? arrivals.scheduled / (arrivals.windowMs / 1000) : undefined;
  const overload = offeredRate === undefined ? undefined : judgeOverload(offeredRate, totals.throughput, saturation);
  const marks: RunMark[] = [
    ...(overload?.overloaded ? ['overloaded' as const] : []),
    ...(saturation?.harness.bound ? ['harness-bound' as const] : []),
    ...(saturation?.harness.contended ? ['cpu-contended' as const] : []),
  ];
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    scenario: { name: scenario.name, description: scenario.description, seed: scenario.seed },
    resolvedScenario: scenario,
    run: {
      id: state.runId,
      startedAt: state.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      status: state.status,
      ...(state.error === undefined ? {} : { error: state.error }),
      phasesMs,
      measuredMs: Math.round(measuredMs),
      ...(state.driver?.extension === undefined ? {} : { extendedMs: state.driver.extension.extendedMs, extension: state.driver.extension }),
    },
    environment: {
      node: process.version,
      ...(state.engineVersion === undefined ? {} : { engine: state.engineVersion }),
      ...(state.engineVersion?.startsWith('PostgreSQL') ? { postgres: state.engineVersion } : {}),
      ...(state.provider === undefined ? {} : { provider: state.provider }),
      cpus: cpus().length,
      platform: `${process.platform}-${process.arch}`,
    },
    topology: { kind: state.topologyKind, nodes: state.nodes },
    ...(state.dataset === undefined ? {} : { dataset: state.dataset }),
    load: {
      loop: loop.kind,
      workers: state.driver?.workers ?? (loop.kind === 'closed' ? loop.concurrency : loop.connections),
      threads: state.scenario.workload.threads,
      ...(loop.kind === 'open' ? { targetRate: loop.rate } : {}),
      lateStarts: state.driver?.lateStarts ?? 0,
      achievedRate: totals.throughput,
      ...(state.driver === undefined ? {} : { drainMs: Math.round(state.driver.drainMs) }),
      ...(arrivals === undefined
        ? {}
        : {
            // None when the load stopped before its run phase began (Ctrl-C in the warmup).
            ...(overload === undefined ? {} : { offeredRate: overload.offeredRate }),
            scheduled: arrivals.scheduled,
            dropped: arrivals.dropped,
            droppedBy: arrivals.droppedBy,
            droppedInWarmup: arrivals.droppedInWarmup,
            cutByGrace: state.driver?.cutByGrace ?? 0,
          }),
      ...(overload === undefined ? {} : { overload }),
    },
    operations,
    totals,
    ...(state.driver?.regions === undefined ? {} : { regions: state.driver.regions }),
    faults: state.faults,
    // A copy: a failover seen after the results are built (during teardown) must not change them.
    failovers: [...state.failovers],
    checks: state.checks,
    marks,
    ...(saturation === undefined ? {} : { saturation }),
  };
}
