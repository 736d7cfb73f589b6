import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DbNode, Endpoint } from '../../topologies/topology.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { RunClock } from '../history/run-clock.ts';
import { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { assignClientRegions } from '../regions/client-regions.ts';
import type { RegionSpec } from '../scenario/region-schema.ts';
import type { WorkloadSpec } from '../scenario/schema.ts';
import type { ThreadWorkloadRecipe } from '../workload/workload-types.ts';
import type { DriverOutcome } from './load-runner.ts';
import type { ArrivalCounts } from './open-loop-dispatch.ts';
import type { LoadRunner } from './load-runner.ts';
import type { FromLoadThread, LoadThreadPlan, LoopCounters, ToLoadThread } from './load-thread-protocol.ts';
import { type RouteTable, type RoutingTopology, routeTable, topologyRoutes } from './worker-routes.ts';

// The load in worker threads (workload.threads > 1): worker w runs in thread w mod T with its own
// generator (seeded by w, as in one thread), so the operations are the same whatever T; an open
// loop's thread runs its connections' share of the rate (open-loop-streams.ts). Each
// thread records into its own recorder and history file; the run merges them: histograms exactly
// (HdrHistogram add), counters by sum, the history files by time when the history closes.

const THREAD_URL = new URL('./load-thread.mjs', import.meta.url);
/** How often the routes are read again for the threads (a failover is followed within this). */
const ROUTES_EVERY_MS = 100;
/** After stop(), how long a thread may take to hand in its figures before it is terminated. */
const STOP_GRACE_MS = 5_000;

export interface ThreadedDriverOptions {
  readonly threads: number;
  readonly workload: ThreadWorkloadRecipe;
  readonly topology: RoutingTopology;
  readonly spec: WorkloadSpec;
  readonly seed: number;
  readonly history: HistoryWriter;
  readonly recorder: LatencyRecorder;
  readonly clock: RunClock;
  readonly regions?: Readonly<Record<string, RegionSpec>> | undefined;
  readonly endpointFor?: (node: DbNode, region: string | undefined) => Endpoint;
}

interface LoadThread {
  readonly worker: Worker;
  readonly workers: readonly number[];
  readonly done: Promise<Extract<FromLoadThread, { kind: 'done' }>>;
  ready: Promise<void>;
  counters: { opsInvoked: number; writesInvoked: number };
  lastRoutes: string;
  /** The latest cumulative loop figures, with the worst delays since loopReadings() last read them. */
  loop: LoopCounters | undefined;
}

export class ThreadedLoadDriver implements LoadRunner {
  readonly regionRecorders = new Map<string, LatencyRecorder>();
  private readonly threads: LoadThread[] = [];
  private stopped = false;
  private started = false;
  private routesTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ThreadedDriverOptions) {}

  get isStopped(): boolean {
    return this.stopped;
  }
  get opsInvoked(): number {
    return this.threads.reduce((n, t) => n + t.counters.opsInvoked, 0);
  }
  get writesInvoked(): number {
    return this.threads.reduce((n, t) => n + t.counters.writesInvoked, 0);
  }

  /** Starts the threads and waits until each has built its workload (before the load's clock starts). */
  async prepare(): Promise<void> {
    const { threads, spec, history } = this.options;
    const loop = spec.loop;
    const all = loop.kind === 'closed' ? loop.concurrency : loop.connections;
    const placements = assignClientRegions(this.options.regions, all) ?? [];
    const routes = (w: number) => topologyRoutes(this.options.topology, w, placements[w]?.region, this.options.endpointFor);
    for (let t = 0; t < threads; t++) {
      const workers = Array.from({ length: all }, (_, w) => w).filter((w) => w % threads === t);
      const historyPath = join(dirname(history.path), `history-thread-${t + 1}.jsonl`);
      const table = routeTable(workers, routes);
      const plan: LoadThreadPlan = {
        thread: t,
        threads,
        workers,
        spec,
        seed: this.options.seed,
        regions: this.options.regions,
        workload: this.options.workload,
        clock: { epochOrigin: performance.timeOrigin + this.options.clock.origin, wallOrigin: this.options.clock.wallOrigin.getTime() },
        historyPath,
        routes: table,
      };
      this.threads.push(this.spawn(plan, table));
    }
    try {
      await Promise.all(this.threads.map((t) => t.ready));
    } catch (error) {
      // Ctrl-C while the threads started: they were terminated, and there is nothing to hand in.
      if (this.stopped) return;
      throw error;
    }
    this.routesTimer = setInterval(() => this.sendRoutes(routes), ROUTES_EVERY_MS);
    this.routesTimer.unref();
  }

  async run(warmupMs: number, runMs: number, holdOpen = false): Promise<DriverOutcome> {
    const { clock, history, recorder } = this.options;
    if (this.threads.length === 0) await this.prepare();
    if (this.stopped) return { workers: 0, measuredMs: 0, lateStarts: 0, drainMs: 0 };
    const loadStart = clock.now();
    const runStart = loadStart + warmupMs;
    history.append({ type: 'phase', phase: 'warmup', time: clock.now(), wallClock: new Date().toISOString() });
    const phaseTimer = setTimeout(() => history.append({ type: 'phase', phase: 'run', time: clock.now(), wallClock: new Date().toISOString() }), warmupMs);
    try {
      this.started = true;
      this.post({ kind: 'start', loadStart, runStart, end: holdOpen ? Infinity : runStart + runMs });
      const results = await Promise.all(this.threads.map((t) => t.done));
      let loadEnd = runStart;
      for (const result of results) {
        recorder.merge(result.recorder);
        recorder.mergeInterval(result.interval);
        for (const [region, snapshot] of Object.entries(result.regions)) {
          let regional = this.regionRecorders.get(region);
          if (!regional) this.regionRecorders.set(region, (regional = new LatencyRecorder()));
          regional.merge(snapshot);
        }
        loadEnd = Math.max(loadEnd, runStart + result.outcome.measuredMs);
      }
      const regionWorkers: Record<string, number> = {};
      for (const { outcome } of results) for (const [region, n] of Object.entries(outcome.regionWorkers ?? {})) regionWorkers[region] = (regionWorkers[region] ?? 0) + n;
      return {
        workers: results.reduce((n, r) => n + r.outcome.workers, 0),
        measuredMs: loadEnd - runStart,
        lateStarts: results.reduce((n, r) => n + r.outcome.lateStarts, 0),
        drainMs: Math.max(...results.map((r) => r.outcome.drainMs)),
        ...openLoopOutcome(results.map((r) => r.outcome)),
        ...(Object.keys(regionWorkers).length > 0 ? { regionWorkers } : {}),
      };
    } finally {
      clearTimeout(phaseTimer);
      clearInterval(this.routesTimer);
      await this.terminateAll();
    }
  }

  /** Each load thread's loop (cumulative), with the worst tick delays since the last call; the saturation sampler reads it each second. */
  loopReadings(): readonly (LoopCounters | undefined)[] {
    return this.threads.map((thread) => {
      const reading = thread.loop;
      if (reading) thread.loop = { ...reading, delayP99Ms: 0, delayMaxMs: 0 };
      return reading;
    });
  }

  endAt(time: number): void {
    this.post({ kind: 'end-at', time });
  }

  stop(): void {
    this.stopped = true;
    this.post({ kind: 'interrupt' });
    // Before the load started there is nothing to hand in; after, a thread that does not hand in
    // its figures in time is terminated, and the run says so (its done rejects).
    if (!this.started) void this.terminateAll();
    else setTimeout(() => void this.terminateAll(), STOP_GRACE_MS).unref();
  }

  private spawn(plan: LoadThreadPlan, table: RouteTable): LoadThread {
    // execArgv: [] so the thread does not inherit --import tsx or a test runner's flags (load-thread.mjs registers tsx).
    const worker = new Worker(THREAD_URL, { execArgv: [], name: `faultline-load-${plan.thread + 1}`, workerData: plan });
    let readyResolve!: () => void;
    const thread: LoadThread = {
      worker,
      workers: plan.workers,
      ready: new Promise<void>((resolve) => (readyResolve = resolve)),
      counters: { opsInvoked: 0, writesInvoked: 0 },
      lastRoutes: JSON.stringify(table),
      loop: undefined,
      done: new Promise((resolve, reject) => {
        const failed = (why: string) => reject(new Error(`load thread ${plan.thread + 1} (workers ${plan.workers.join(', ')}): ${why}`));
        worker.on('message', (message: FromLoadThread) => {
          if (message.kind === 'ready') readyResolve();
          else if (message.kind === 'tick') {
            thread.counters = { opsInvoked: message.opsInvoked, writesInvoked: message.writesInvoked };
            this.options.recorder.mergeInterval(message.interval);
            const before = thread.loop;
            thread.loop = {
              ...message.loop,
              delayP99Ms: Math.max(before?.delayP99Ms ?? 0, message.loop.delayP99Ms),
              delayMaxMs: Math.max(before?.delayMaxMs ?? 0, message.loop.delayMaxMs),
            };
          } else if (message.kind === 'done') {
            thread.counters = { opsInvoked: message.opsInvoked, writesInvoked: message.writesInvoked };
            // Its history file is complete: it joins the run's history, by time, when that closes.
            // A thread that never gets here leaves its file beside it, and the run says which thread.
            this.options.history.mergeAtClose([plan.historyPath]);
            resolve(message);
          } else failed(message.message);
        });
        worker.on('error', (error) => failed(error.message));
        worker.on('exit', (code) => failed(`exited (code ${code}) before handing in its figures: its operations are not in the results`));
      }),
    };
    // A thread that fails before it is ready fails the preparation too.
    thread.ready = Promise.race([thread.ready, thread.done.then(() => {})]);
    thread.done.catch(() => {});
    return thread;
  }

  private sendRoutes(routes: Parameters<typeof routeTable>[1]): void {
    for (const thread of this.threads) {
      const table = routeTable(thread.workers, routes);
      const text = JSON.stringify(table);
      if (text === thread.lastRoutes) continue;
      thread.lastRoutes = text;
      thread.worker.postMessage({ kind: 'routes', routes: table } satisfies ToLoadThread);
    }
  }

  private post(message: ToLoadThread): void {
    for (const thread of this.threads) thread.worker.postMessage(message);
  }

  private async terminateAll(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate().catch(() => 0)));
  }
}

/** An open loop's arrivals over all threads: counts by sum, the window the longest (they share one schedule start). */
function openLoopOutcome(outcomes: readonly DriverOutcome[]): Pick<DriverOutcome, 'arrivals' | 'cutByGrace'> {
  const parts = outcomes.flatMap((o) => (o.arrivals ? [o.arrivals] : []));
  if (parts.length === 0) return {};
  const sum = (pick: (a: ArrivalCounts) => number) => parts.reduce((n, a) => n + pick(a), 0);
  return {
    arrivals: {
      scheduled: sum((a) => a.scheduled),
      started: sum((a) => a.started),
      dropped: sum((a) => a.dropped),
      droppedBy: { queue: sum((a) => a.droppedBy.queue), end: sum((a) => a.droppedBy.end) },
      droppedInWarmup: sum((a) => a.droppedInWarmup),
      windowMs: Math.max(...parts.map((a) => a.windowMs)),
    },
    cutByGrace: outcomes.reduce((n, o) => n + (o.cutByGrace ?? 0), 0),
  };
}
