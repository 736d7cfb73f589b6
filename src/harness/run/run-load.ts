import { join } from 'node:path';
import type { FaultableTopology } from '../../topologies/create-topology.ts';
import { LoadDriver, type DriverOutcome } from '../driver/load-driver.ts';
import type { RunClock } from '../driver/run-clock.ts';
import { Nemesis } from '../fault/nemesis.ts';
import { expandTimeline } from '../fault/timeline.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { LagSampler } from '../metrics/lag-sampler.ts';
import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { chooseProgressDisplay, ProgressReporter } from '../metrics/progress-reporter.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Workload } from '../workload/workload-types.ts';
import type { PhaseTimer } from './phase-timer.ts';
import type { FaultRecord } from '../report/results-types.ts';

export interface LoadContext {
  readonly scenario: Scenario;
  readonly topology: FaultableTopology;
  readonly workload: Workload;
  readonly history: HistoryWriter;
  readonly recorder: LatencyRecorder;
  readonly clock: RunClock;
  readonly phases: PhaseTimer;
  readonly reportDir: string;
  readonly print: (line: string) => void;
  /** Lets the caller stop the load early (Ctrl-C). */
  readonly onDriver: (driver: LoadDriver) => void;
}

/**
 * Warmup and the measured run with the fault timeline on top, then the heal phase. The lag
 * sampler and the nemesis run only while load runs; every fault is healed before this returns.
 */
export interface LoadOutcome extends DriverOutcome {
  readonly faults: FaultRecord[];
  /** Time on the run clock when the measured run began. */
  readonly runStart: number;
}

export async function runLoad(ctx: LoadContext): Promise<LoadOutcome> {
  const { scenario, topology, history, recorder, clock, phases } = ctx;
  const { warmup, duration, progressEvery } = scenario.workload;
  const driver = new LoadDriver({ workload: ctx.workload, topology, spec: scenario.workload, seed: scenario.seed, history, recorder, clock });
  ctx.onDriver(driver);
  const seriesPath = join(ctx.reportDir, 'timeseries.jsonl');
  await using progress = new ProgressReporter(recorder, clock, seriesPath, warmup + duration, ctx.print, chooseProgressDisplay(ctx.print));
  // Fault lines go through the reporter: on a terminal they are logged above the progress bar.
  const nemesis = new Nemesis(expandTimeline(scenario.faults, duration), topology, history, clock, scenario.seed, (line) => progress.log(line));
  const lag = topology.nodes.length > 1 ? new LagSampler(topology, (event) => history.append(event), () => clock.now()) : undefined;
  progress.activeFaults = () => nemesis.activeKinds();
  const loadStart = clock.now();
  progress.start(progressEvery, loadStart);
  lag?.start();
  topology.placement?.startSampling((event) => history.append(event), () => clock.now(), loadStart + warmup);
  nemesis.start(loadStart + warmup);
  const switchPhase = setTimeout(() => (progress.phase = 'run'), warmup);
  let outcome: DriverOutcome;
  try {
    outcome = await driver.run(warmup, duration);
  } finally {
    clearTimeout(switchPhase);
    phases.durations.warmup = Math.min(warmup, Math.round(clock.now() - loadStart));
    await phases.time('heal', () => nemesis.healAll());
    await lag?.stop();
    await topology.placement?.stopSampling();
  }
  phases.durations.run = Math.round(outcome.measuredMs);
  return { ...outcome, faults: nemesis.timeline(), runStart: loadStart + warmup };
}
