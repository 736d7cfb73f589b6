import { setTimeout as sleep } from 'node:timers/promises';
import type { DbNode, Endpoint } from '../../topologies/topology.ts';
import { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { assignClientRegions, type ClientRegion } from '../regions/client-regions.ts';
import type { RegionSpec } from '../scenario/region-schema.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { WorkloadSpec } from '../scenario/schema.ts';
import type { OpGenerator, OpResult, PlannedOp, Workload } from '../workload/workload-types.ts';
import { ArrivalSchedule } from './arrival-schedule.ts';
import { ArrivalDispatcher, ArrivalLedger } from './open-loop-dispatch.ts';
import { openLoopStreams, type ThreadShare } from './open-loop-streams.ts';
import type { RunClock } from '../history/run-clock.ts';
import type { ClientFactory } from './worker-connection.ts';
import type { RouteNode, RoutingTopology, WorkerRoutes } from './worker-routes.ts';
import { workerConnections } from './worker-connections.ts';
import { ConnectGate } from './connect-gate.ts';
import { PreciseWaker, waitPrecisely } from './precise-waker.ts';
import type { OpConnection, WorkerConnections } from './op-connection.ts';
import { isWrite } from '../checker/history-values.ts';
import type { DriverOutcome, LoadRunner } from './load-runner.ts';

export type { DriverOutcome };

export interface DriverOptions {
  /** Any dialect's workload: its execute() gets whatever the worker's connections hand out. */
  readonly workload: Workload<unknown, unknown>;
  /** Where workers connect; a load thread has none and passes `routes` instead. */
  readonly topology?: RoutingTopology;
  /** Each worker's routes; from `topology` (and endpointFor) when omitted. */
  readonly routes?: (w: number, region: string | undefined) => WorkerRoutes<RouteNode>;
  /**
   * A load thread's share of the workers (all of 0..N-1 when omitted). Each worker keeps its index
   * and its generator (seeded by it), so the operations are the same whichever thread runs it;
   * thread t of T hands out ids t+1, t+1+T, ... so that threads never hand out the same one.
   */
  readonly share?: ThreadShare;
  /** False in a load thread: the main thread writes the warmup and run phase events. */
  readonly phaseEvents?: boolean;
  readonly spec: WorkloadSpec;
  readonly seed: number;
  readonly history: HistoryWriter;
  readonly recorder: LatencyRecorder;
  readonly clock: RunClock;
  readonly newClient?: ClientFactory;
  /** A dialect's own worker connections (MongoDB); PostgreSQL WorkerConnections when omitted. */
  readonly openConnections?: (worker: number) => WorkerConnections;
  /** Declared regions: each worker lives in one, serves its customers and uses its links. */
  readonly regions?: Readonly<Record<string, RegionSpec>> | undefined;
  readonly endpointFor?: (node: DbNode, region: string | undefined) => Endpoint;
}


/** Errors after which a connection cannot be trusted, and hammering the node is pointless. */
const CONNECTION_ERRORS = new Set(['connection', 'timeout']);
const LATE_MS = 1;

/**
 * Drives the workload: a closed loop (N workers, each starts its next operation when the last
 * completes) or an open loop (operations start on a schedule, as wrk2). Warmup and the measured
 * run are one continuous stream; an operation counts when it was meant to start in the run.
 */
export class LoadDriver implements LoadRunner {
  private nextId: number;
  private readonly idStep: number;
  private stopped = false;
  private lateStarts = 0;
  private inFlight = 0;
  private cutByGrace = 0;
  private ledger: ArrivalLedger | undefined;
  /** Open loops only: made when the load starts, closed when it ends or stops. */
  private waker: PreciseWaker | undefined;
  private readonly connections: OpConnection[] = [];
  /** Workers' first connections open a few dozen at a time, so set-up never stalls the event loop (Ctrl-C). */
  private readonly gate = new ConnectGate();
  /** One recorder per client region, beside the overall one (the same operations, split). */
  readonly regionRecorders = new Map<string, LatencyRecorder>();
  private placements: readonly (ClientRegion | undefined)[] = [];
  private placed = false;
  private opened: Promise<ReadonlyMap<number, WorkerConnections>> | undefined;
  /** When no operation may start any more (run clock); movable while the load runs (the run's extension). */
  private end = Infinity;
  /** Operations and writes invoked so far: how the run tells that load was tried after a heal. */
  opsInvoked = 0;
  writesInvoked = 0;

  constructor(private readonly options: DriverOptions) {
    this.nextId = (options.share?.thread ?? 0) + 1;
    this.idStep = options.share?.threads ?? 1;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Moves the end of the load (run clock); operations already started complete. */
  endAt(time: number): void {
    this.end = time;
  }

  stop(): void {
    this.stopped = true;
    // Opens still waiting fail at once; dropping connections makes operations stuck on a frozen server complete at once.
    this.gate.close();
    this.waker?.close();
    for (const connection of this.connections) void connection.discard();
  }

  /**
   * Before the load's clock starts: an open loop opens its connections, as k6 initialises its VUs
   * and wrk2 connects before its schedule starts. Opened by their first operations instead, the
   * load began with a second or more of connection set-up (SCRAM authentication costs the client
   * and the server milliseconds of CPU each: 64 took 1.2 s here), the schedule's arrivals queued
   * behind it, and the backlog reached into the measured phase. A closed loop opens them as it
   * goes (it has no schedule to fall behind). A connection that cannot open now is tried again by
   * its first operation, which then fails as it would have; each try is bounded by the connect
   * timeout, and stop() cuts them all.
   */
  prepare(): Promise<void> {
    return this.openLoopConnections().then(() => {});
  }

  /** `holdOpen`: the load goes on past runMs until endAt() says when (the run's extension after heals). */
  async run(warmupMs: number, runMs: number, holdOpen = false): Promise<DriverOutcome> {
    const runStart = this.options.clock.now() + warmupMs;
    return this.runPhases(runStart, holdOpen ? Infinity : runStart + runMs);
  }

  /**
   * Warmup until runStart, then the run until `end` (run clock; Infinity: until endAt()).
   * `loadStart`: when the load began (a load thread is told its run's), else now.
   */
  async runPhases(runStart: number, end: number, loadStart?: number): Promise<DriverOutcome> {
    const { clock, spec, history } = this.options;
    // An open loop's schedule begins when the load began (or once its connections are open, where
    // prepare() was not called first), never after the set-up below (the waker's thread takes
    // 3-14 ms to spawn): a schedule begun late offers fewer arrivals than rate x phase.
    const began = loadStart ?? clock.now();
    this.end = end;
    const phaseEvents = this.options.phaseEvents !== false;
    if (phaseEvents) history.append({ type: 'phase', phase: 'warmup', time: clock.now(), wallClock: new Date().toISOString() });
    const phaseTimer = phaseEvents
      ? setTimeout(
          () => history.append({ type: 'phase', phase: 'run', time: clock.now(), wallClock: new Date().toISOString() }),
          Math.max(0, runStart - clock.now()),
        )
      : undefined;
    const loop = spec.loop;
    const workers = this.placeWorkers();
    const scope = (w: number) => ({ customerRegions: this.placements[w]?.customers });
    const graceWatch = new AbortController();
    if (loop.kind === 'open') {
      this.ledger = new ArrivalLedger(runStart);
      // Its thread starts now (tens of milliseconds; timers stand in meanwhile), not at the first wait.
      this.preciseWaker();
      void this.cutAfterGrace(loop.grace, graceWatch.signal);
    }
    let loadEnd = Infinity;
    try {
      if (loop.kind === 'closed') {
        const mine = this.options.share?.workers ?? Array.from({ length: workers }, (_, w) => w);
        await Promise.all(
          mine.map((w) => {
            const generator = this.options.workload.generator(w, workers, scope(w));
            return this.worker(w, runStart, () => ({ op: generator.next() }));
          }),
        );
      } else {
        await this.openLoop(loop, workers, runStart, began);
      }
      loadEnd = clock.now();
    } finally {
      graceWatch.abort();
      clearTimeout(phaseTimer);
      this.waker?.close();
      await Promise.all(this.connections.map((connection) => connection.discard()));
    }
    // The phase's real length: its operations' completions (also those after its end) over the time they took.
    const measuredMs = Math.max(0, loadEnd - runStart);
    const stoppedAt = Math.min(loadEnd, this.end);
    const drainMs = Math.max(0, loadEnd - Math.max(runStart, stoppedAt));
    const regionWorkers: Record<string, number> = {};
    for (const placement of this.placements) if (placement) regionWorkers[placement.region] = (regionWorkers[placement.region] ?? 0) + 1;
    return {
      workers: this.options.share?.workers.length ?? workers,
      measuredMs,
      lateStarts: this.lateStarts,
      drainMs,
      ...(this.ledger ? { arrivals: this.ledger.counts(stoppedAt), cutByGrace: this.cutByGrace } : {}),
      ...(this.placements.length > 0 ? { regionWorkers } : {}),
    };
  }

  /**
   * The open loop's grace (k6's gracefulStop): once the phase has ended, operations in flight
   * may finish for `graceMs`; then their connections are closed, which completes them at once
   * (fail or info, as any cut connection), so a frozen server cannot hold the run open.
   */
  private async cutAfterGrace(graceMs: number, signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    try {
      // The end moves while the load runs (the extension after heals): look again at least every 100 ms.
      while (clock.now() < this.end) await sleep(Math.min(100, Math.max(1, this.end - clock.now())), undefined, { signal });
      await sleep(graceMs, undefined, { signal });
    } catch {
      return; // The load ended first.
    }
    this.cutByGrace = this.inFlight;
    for (const connection of this.connections) void connection.discard();
  }

  /**
   * One generator and one schedule per stream of arrivals (open-loop-streams.ts): the k-th arrival
   * of a stream is the same operation in every run, whichever of its connections takes it.
   */
  private async openLoop(loop: Extract<WorkloadSpec['loop'], { kind: 'open' }>, workers: number, runStart: number, began: number): Promise<void> {
    const { clock, workload, seed, share } = this.options;
    const connections = await this.openLoopConnections();
    // When the load began, or once the connections were open if prepare() was not called first
    // (at the run's start at the latest).
    const start = Math.min(Math.max(began, clock.now()), runStart);
    await Promise.all(
      openLoopStreams(this.placements, workers, loop.rate, seed, share).flatMap((s) => {
        const generator: OpGenerator = workload.generator(s.stream, s.streams, { customerRegions: this.placements[s.workers[0]!]?.customers });
        const dispatcher = new ArrivalDispatcher(new ArrivalSchedule(start, s.rate, loop.arrivals, s.seed), generator, this.ledger!, loop.maxQueueDelay);
        return s.workers.map((w) => this.worker(w, runStart, () => dispatcher.take(clock.now(), this.end), connections.get(w)));
      }),
    );
  }

  /** An open loop's connections, opened once (prepare()); none for a closed loop. */
  private openLoopConnections(): Promise<ReadonlyMap<number, WorkerConnections>> {
    this.opened ??= (async () => {
      if (this.options.spec.loop.kind !== 'open') return new Map<number, WorkerConnections>();
      const workers = this.placeWorkers();
      const mine = this.options.share?.workers ?? Array.from({ length: workers }, (_, w) => w);
      const connections = new Map(mine.map((w) => [w, this.connectionsOf(w)]));
      await Promise.allSettled([...connections.values()].flatMap(({ writes, reads }) => [writes.get(), reads.get()]));
      return connections;
    })();
    return this.opened;
  }

  /** Each worker's client region (once), and a recorder per region; the number of workers. */
  private placeWorkers(): number {
    const loop = this.options.spec.loop;
    const workers = loop.kind === 'closed' ? loop.concurrency : loop.connections;
    if (this.placed) return workers;
    this.placed = true;
    this.placements = assignClientRegions(this.options.regions, workers) ?? [];
    for (const placement of this.placements) {
      if (placement && !this.regionRecorders.has(placement.region)) this.regionRecorders.set(placement.region, new LatencyRecorder());
    }
    return workers;
  }

  private async worker(
    w: number,
    runStart: number,
    /** The next operation, or undefined when the phase has none left (open loop). */
    nextOp: () => { op: PlannedOp; intended?: number } | undefined,
    { writes, reads }: WorkerConnections = this.connectionsOf(w),
  ): Promise<void> {
    const { clock } = this.options;
    while (!this.stopped) {
      const next = nextOp();
      if (next === undefined) break;
      const { op, intended } = next;
      if ((intended ?? clock.now()) >= this.end) break;
      if (intended !== undefined) await this.waitUntil(intended);
      // The end may have been set while waiting (the extension after heals ended).
      if (this.stopped || (intended ?? clock.now()) >= this.end) break;
      if (intended !== undefined) this.ledger?.start(intended);
      const connection = op.target === 'replicas' ? reads : writes;
      this.inFlight++;
      let failed: boolean;
      try {
        failed = await this.execute(w, op, connection, runStart, intended);
      } finally {
        this.inFlight--;
      }
      // Back off a little from a node that is down, so a dead server is not spun against.
      if (failed) await sleep(20);
    }
  }

  /** Worker w's write and read connections (opened by their first use), closed when the load ends. */
  private connectionsOf(w: number): WorkerConnections {
    const connections = workerConnections(this.options, w, this.placements[w]?.region, this.gate);
    this.connections.push(connections.writes, connections.reads);
    return connections;
  }

  /**
   * Until an open-loop operation's intended start, never before it: the precise waker's thread
   * wakes this one within a fraction of a millisecond (precise-waker.ts). Timers would fire up to
   * a millisecond early, and spinning the rest of the way kept the event loop busy.
   */
  private waitUntil(time: number): Promise<void> {
    const { clock } = this.options;
    return waitPrecisely(this.preciseWaker(), time, () => clock.now(), () => this.stopped);
  }

  private preciseWaker(): PreciseWaker {
    this.waker ??= new PreciseWaker();
    return this.waker;
  }

  /** Runs one operation and records it; true when the connection failed. */
  private async execute(
    w: number,
    op: PlannedOp,
    connection: OpConnection,
    runStart: number,
    intended: number | undefined,
  ): Promise<boolean> {
    const { clock, history, recorder, workload } = this.options;
    const id = this.nextId;
    this.nextId += this.idStep;
    const start = clock.now();
    const measured = (intended ?? start) >= runStart;
    if (intended !== undefined && measured && start - intended > LATE_MS) this.lateStarts++;
    const node = connection.node;
    this.opsInvoked++;
    if (isWrite(op.f)) this.writesInvoked++;
    history.invoke({ type: 'invoke', id, f: op.f, worker: w, node, time: start, ...(intended === undefined ? {} : { intended }), value: op.args });
    let result: OpResult;
    try {
      const client = connection.ready ?? (await connection.get());
      connection.takeSyncWaitCancelled();
      result = await workload.execute(op, client);
      if (result.type === 'ok' && connection.takeSyncWaitCancelled()) {
        result = { type: 'info', error: 'sync-wait-cancelled', ...(result.value === undefined ? {} : { value: result.value }) };
      }
    } catch {
      // Only connecting can throw here: the operation was never sent, so it certainly failed.
      result = { type: 'fail', error: 'connection' };
    }
    const failedConnection = result.type !== 'ok' && CONNECTION_ERRORS.has(result.error);
    if (failedConnection) connection.markBroken();
    const time = clock.now();
    const latency = time - (intended ?? start);
    const error = result.type === 'ok' ? undefined : result.error;
    recorder.record(op.f, result.type, latency, error, measured);
    const region = this.placements[w]?.region;
    if (region !== undefined) this.regionRecorders.get(region)!.record(op.f, result.type, latency, error, measured);
    history.complete({
      type: result.type,
      id,
      f: op.f,
      worker: w,
      node: connection.node || node,
      time,
      latency,
      ...(error === undefined ? {} : { error }),
      ...(result.value === undefined ? {} : { value: result.value }),
    });
    return failedConnection;
  }
}
