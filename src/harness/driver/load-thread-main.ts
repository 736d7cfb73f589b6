import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { thisThreadSchedule } from '../metrics/saturation/proc-cpu.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { RunClock } from '../history/run-clock.ts';
import { LatencyRecorder } from '../metrics/latency-recorder.ts';
import type { Workload } from '../workload/workload-types.ts';
import { LoadDriver } from './load-driver.ts';
import { type FromLoadThread, type LoadThreadPlan, type LoopCounters, TICK_MS, type ToLoadThread } from './load-thread-protocol.ts';
import { type RouteTable, tableRoutes } from './worker-routes.ts';

// One load thread (its protocol: load-thread-protocol.ts). It runs the plain LoadDriver on its
// share of the workers with its own recorder and history file; the run merges both.

const port = parentPort!;
const plan = workerData as LoadThreadPlan;
const send = (message: FromLoadThread) => port.postMessage(message);

async function main(): Promise<void> {
  const recipe = (await import(plan.workload.module)) as { createThreadWorkload(data: unknown): Workload<unknown, unknown> };
  const workload = recipe.createThreadWorkload(plan.workload.data);
  let routes: RouteTable = plan.routes;
  const clock = new RunClock(plan.clock);
  const recorder = new LatencyRecorder();
  const history = new HistoryWriter(plan.historyPath);
  const driver = new LoadDriver({
    workload,
    routes: (w) => tableRoutes(() => routes, w),
    spec: plan.spec,
    seed: plan.seed,
    history,
    recorder,
    clock,
    regions: plan.regions,
    share: { workers: plan.workers, thread: plan.thread, threads: plan.threads },
    phaseEvents: false,
  });
  const counters = () => ({ opsInvoked: driver.opsInvoked, writesInvoked: driver.writesInvoked });
  const started = new Promise<{ loadStart: number; runStart: number; end: number }>((resolve) => {
    port.on('message', (message: ToLoadThread) => {
      if (message.kind === 'start') resolve(message);
      else if (message.kind === 'routes') routes = message.routes;
      else if (message.kind === 'end-at') driver.endAt(message.time);
      else driver.stop();
    });
  });
  // An open loop's connections open before the load's clock starts (LoadDriver.prepare).
  await driver.prepare();
  send({ kind: 'ready' });
  const { loadStart, runStart, end } = await started;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // This thread's loop, for the run's saturation sampler (it sees only the main thread's itself).
  const loop = (): LoopCounters => {
    const { active, idle } = performance.eventLoopUtilization();
    const schedule = thisThreadSchedule();
    const figures = { activeMs: active, idleMs: idle, run: schedule?.run ?? null, wait: schedule?.wait ?? null, delayP99Ms: delay.percentile(99) / 1e6, delayMaxMs: delay.max / 1e6 };
    delay.reset();
    return figures;
  };
  const ticks = setInterval(() => send({ kind: 'tick', interval: recorder.takeIntervalSnapshot(), loop: loop(), ...counters() }), TICK_MS);
  try {
    const outcome = await driver.runPhases(runStart, end, loadStart);
    await history.close();
    const regions = Object.fromEntries([...driver.regionRecorders].map(([region, r]) => [region, r.snapshot()]));
    send({ kind: 'done', outcome, interval: recorder.takeIntervalSnapshot(), recorder: recorder.snapshot(), regions, ...counters() });
  } finally {
    clearInterval(ticks);
    delay.disable();
    await history.close().catch(() => {});
    port.close();
  }
}

main().catch((error: unknown) => {
  send({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  port.close();
});
