import { join } from 'node:path';
import type { FaultableTopology } from '../../topologies/faultable-topology.ts';
import { LoadDriver, type DriverOptions, type DriverOutcome } from '../driver/load-driver.ts';
import type { LoadRunner } from '../driver/load-runner.ts';
import { ThreadedLoadDriver } from '../driver/threaded-load-driver.ts';
import type { RunClock } from '../history/run-clock.ts';
import { Nemesis } from '../nemesis/nemesis.ts';
import { expandTimeline } from '../fault/timeline.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { LagEvent } from '../history/history-types.ts';
import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { chooseProgressDisplay, ProgressReporter } from '../metrics/progress-reporter.ts';
import { SaturationSampler } from '../metrics/saturation/saturation-sampler.ts';
import type { SaturationSample } from '../results/saturation-sample.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { ThreadWorkloadRecipe, Workload } from '../workload/workload-types.ts';
import type { PhaseTimer } from './phase-timer.ts';
import { LoadEndController, type LoadExtension } from './extend-load.ts';
import type { FaultRecord, RegionResults } from '../results/results-types.ts';
import type { DbNode, Endpoint } from '../../topologies/topology.ts';

export interface LoadContext {
  readonly scenario: Scenario;
  readonly topology: FaultableTopology;
  readonly workload: Workload<unknown, unknown>;
  /** How a load thread builds the same workload (workload.threads > 1); absent where the engine's run cannot be split. */
  readonly threadWorkload?: ThreadWorkloadRecipe | undefined;
  /** The engine's own worker connections; the driver's PostgreSQL ones when omitted. */
  readonly openConnections?: DriverOptions['openConnections'];
  /** The engine's heartbeat sampler for this topology, if it has one (none for a single node). */
  readonly lagSampler?: (sink: (event: LagEvent) => void, now: () => number) => { start(): void; stop(): Promise<void> } | undefined;
  readonly history: HistoryWriter;
  readonly recorder: LatencyRecorder;
  readonly clock: RunClock;
  readonly phases: PhaseTimer;
  readonly reportDir: string;
  readonly print: (line: string) => void;
  /** Lets the caller stop the load early (Ctrl-C). */
  readonly onDriver: (driver: LoadRunner) => void;
  /** When the load's clock starts (after load threads are ready): the run phase begins at runStart. */
  readonly onLoadStart?: (runStart: number) => void;
  /** Where a client worker of a region connects to reach a node (its region's link). */
  readonly endpointFor?: (node: DbNode, region: string | undefined) => Endpoint;
}

/**
 * Warmup and the measured run with the fault timeline on top, then the heal phase. The lag
 * sampler and the nemesis run only while load runs; every fault is healed before this returns.
 * With faults the load goes on past workload.duration until they have healed and load was tried
 * after the last heal (workload.afterLastHeal, run/extend-load.ts).
 */
export interface LoadOutcome extends DriverOutcome {
  readonly faults: FaultRecord[];
  /** Time on the run clock when the measured run began. */
  readonly runStart: number;
  /** Per client region: the same figures as the top level, from that region's workers. */
  readonly regions?: Record<string, RegionResults>;
  /** How far and why the load ran past workload.duration (runs with faults only). */
  readonly extension?: LoadExtension;
  /** Every second of the load: the harness's event loop and CPU, the database's CPU. */
  readonly saturation: readonly SaturationSample[];
}

export async function runLoad(ctx: LoadContext): Promise<LoadOutcome> {
  const { scenario, topology, history, recorder, clock, phases } = ctx;
  const { warmup, duration, progressEvery } = scenario.workload;
  const driver = createDriver(ctx);
  ctx.onDriver(driver);
  await driver.prepare?.();
  const seriesPath = join(ctx.reportDir, 'timeseries.jsonl');
  await using progress = new ProgressReporter(recorder, clock, seriesPath, warmup + duration, ctx.print, chooseProgressDisplay(ctx.print));
  // Fault lines go through the reporter: on a terminal they are logged above the progress bar.
  const occurrences = expandTimeline(scenario.faults, duration);
  const nemesis = new Nemesis(occurrences, topology, history, clock, scenario.seed, (line) => progress.log(line));
  const lagSink = (event: LagEvent) => history.append(event);
  const lag = ctx.lagSampler?.(lagSink, () => clock.now());
  progress.activeFaults = () => nemesis.activeKinds();
  const loadStart = clock.now();
  ctx.onLoadStart?.(loadStart + warmup);
  progress.start(progressEvery, loadStart);
  const saturation = new SaturationSampler({
    nodes: () => topology.nodes,
    now: () => clock.now(),
    runStart: loadStart + warmup,
    onSample: (sample) => progress.writeRow('saturation', sample),
    ...(driver instanceof ThreadedLoadDriver ? { loadLoops: () => driver.loopReadings() } : {}),
  });
  saturation.start();
  lag?.start();
  topology.placement?.startSampling((event) => history.append(event), () => clock.now(), loadStart + warmup);
  nemesis.start(loadStart + warmup);
  const switchPhase = setTimeout(() => (progress.phase = 'run'), warmup);
  const extend = occurrences.length > 0 && scenario.workload.afterLastHeal.maxExtension > 0;
  const controller = extend
    ? new LoadEndController({ clock, driver, nemesis }, scenario.workload.afterLastHeal, loadStart + warmup, loadStart + warmup + duration, (line) => progress.log(line))
    : undefined;
  const loadEnded = new AbortController();
  let outcome: DriverOutcome;
  let extension: LoadExtension | undefined;
  let samples: readonly SaturationSample[] = [];
  try {
    const deciding = controller?.decide(loadEnded.signal);
    try {
      outcome = await driver.run(warmup, duration, extend);
    } finally {
      // Ctrl-C or a failure ended the load: the controller stops waiting.
      loadEnded.abort();
      extension = await deciding;
    }
  } finally {
    clearTimeout(switchPhase);
    samples = await saturation.stop();
    phases.durations.warmup = Math.min(warmup, Math.round(clock.now() - loadStart));
    await phases.time('heal', () => nemesis.healAll());
    await lag?.stop();
    await topology.placement?.stopSampling();
  }
  phases.durations.run = Math.round(outcome.measuredMs);
  const regions = summarizeRegions(driver, outcome);
  return {
    ...outcome,
    faults: nemesis.timeline(),
    runStart: loadStart + warmup,
    saturation: samples,
    ...(regions ? { regions } : {}),
    ...(extension ? { extension } : {}),
  };
}

/** One thread, or workload.threads load threads where the engine says how a thread builds its workload. */
function createDriver(ctx: LoadContext): LoadRunner {
  const { scenario, topology, history, recorder, clock } = ctx;
  const threads = scenario.workload.threads;
  const common = { topology, spec: scenario.workload, seed: scenario.seed, history, recorder, clock, regions: scenario.regions, ...(ctx.endpointFor ? { endpointFor: ctx.endpointFor } : {}) };
  if (threads > 1) {
    if (!ctx.threadWorkload) {
      // The scenario schema refuses it first (engine-rules.ts); this guards a new engine that forgot to.
      throw new Error(`workload.threads: ${scenario.topology.kind} runs its load in one thread only; set workload.threads to 1`);
    }
    return new ThreadedLoadDriver({ ...common, threads, workload: ctx.threadWorkload });
  }
  return new LoadDriver({ ...common, workload: ctx.workload, ...(ctx.openConnections ? { openConnections: ctx.openConnections } : {}) });
}

function summarizeRegions(driver: LoadRunner, outcome: DriverOutcome): Record<string, RegionResults> | undefined {
  if (driver.regionRecorders.size === 0) return undefined;
  const regions: Record<string, RegionResults> = {};
  for (const [region, recorder] of driver.regionRecorders) {
    regions[region] = { workers: outcome.regionWorkers?.[region] ?? 0, ...recorder.summarize(outcome.measuredMs) };
  }
  return regions;
}
