import { setTimeout as sleep } from 'node:timers/promises';
import type { Topology } from '../../topologies/topology.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import type { WorkloadSpec } from '../scenario/schema.ts';
import type { OpGenerator, OpResult, PlannedOp, Workload } from '../workload/workload-types.ts';
import { ArrivalSchedule } from './arrival-schedule.ts';
import type { RunClock } from './run-clock.ts';
import { type ClientFactory, WorkerConnection } from './worker-connection.ts';

export interface DriverOptions {
  readonly workload: Workload;
  readonly topology: Topology;
  readonly spec: WorkloadSpec;
  readonly seed: number;
  readonly history: HistoryWriter;
  readonly recorder: LatencyRecorder;
  readonly clock: RunClock;
  readonly newClient?: ClientFactory;
}

export interface DriverOutcome {
  readonly workers: number;
  /** Length of the measured window in ms (shorter than planned when the run was stopped). */
  readonly measuredMs: number;
  readonly lateStarts: number;
}

/** Errors after which a connection cannot be trusted, and hammering the node is pointless. */
const CONNECTION_ERRORS = new Set(['connection', 'timeout']);
const LATE_MS = 1;

/**
 * Drives the workload: a closed loop (N workers, each starts its next operation when the last
 * completes) or an open loop (operations start on a schedule, as wrk2). Warmup and the measured
 * run are one continuous stream; an operation counts when it was meant to start in the run.
 */
export class LoadDriver {
  private nextId = 1;
  private stopped = false;
  private lateStarts = 0;
  private readonly connections: WorkerConnection[] = [];

  constructor(private readonly options: DriverOptions) {}

  stop(): void {
    this.stopped = true;
    // Dropping connections makes operations stuck on a frozen server complete at once.
    for (const connection of this.connections) void connection.discard();
  }

  async run(warmupMs: number, runMs: number): Promise<DriverOutcome> {
    const { clock, spec, history } = this.options;
    const runStart = clock.now() + warmupMs;
    const end = runStart + runMs;
    history.append({ type: 'phase', phase: 'warmup', time: clock.now(), wallClock: new Date().toISOString() });
    const phaseTimer = setTimeout(
      () => history.append({ type: 'phase', phase: 'run', time: clock.now(), wallClock: new Date().toISOString() }),
      warmupMs,
    );
    const loop = spec.loop;
    const workers = loop.kind === 'closed' ? loop.concurrency : loop.connections;
    try {
      if (loop.kind === 'closed') {
        await Promise.all(
          Array.from({ length: workers }, (_, w) => {
            const generator = this.options.workload.generator(w, workers);
            return this.worker(w, end, runStart, () => ({ op: generator.next() }));
          }),
        );
      } else {
        // One generator and one schedule for the whole loop: the k-th arrival is the same
        // operation in every run, whichever connection happens to take it.
        const generator: OpGenerator = this.options.workload.generator(0, 1);
        const schedule = new ArrivalSchedule(clock.now(), loop.rate, loop.arrivals, this.options.seed);
        await Promise.all(
          Array.from({ length: workers }, (_, w) =>
            this.worker(w, end, runStart, () => ({ op: generator.next(), intended: schedule.next() })),
          ),
        );
      }
    } finally {
      clearTimeout(phaseTimer);
      await Promise.all(this.connections.map((connection) => connection.discard()));
    }
    const measuredMs = Math.max(0, Math.min(clock.now(), end) - runStart);
    return { workers, measuredMs, lateStarts: this.lateStarts };
  }

  private async worker(
    w: number,
    end: number,
    runStart: number,
    nextOp: () => { op: PlannedOp; intended?: number },
  ): Promise<void> {
    const { topology, spec, clock } = this.options;
    const { newClient } = this.options;
    const writes = new WorkerConnection(
      () => {
        const primary = topology.primary();
        return [primary, ...topology.nodes.filter((n) => n !== primary)];
      },
      spec.timeouts,
      `faultline-w${w}`,
      newClient,
      topology.nodes.length > 1,
    );
    const reads = new WorkerConnection(
      () => {
        const nodes = topology.readNodes();
        return [nodes[w % nodes.length]!];
      },
      spec.timeouts,
      `faultline-r${w}`,
      newClient,
    );
    this.connections.push(writes, reads);
    while (!this.stopped) {
      const { op, intended } = nextOp();
      if ((intended ?? clock.now()) >= end) break;
      if (intended !== undefined) await this.waitUntil(intended);
      if (this.stopped) break;
      const connection = op.target === 'replicas' ? reads : writes;
      const failed = await this.execute(w, op, connection, runStart, intended);
      // Back off a little from a node that is down, so a dead server is not spun against.
      if (failed) await sleep(20);
    }
  }

  /**
   * Timers run on libuv's cached loop clock and can fire up to a millisecond early, so an
   * operation could start before its intended time; yield until that instant has really passed.
   */
  private async waitUntil(time: number): Promise<void> {
    const { clock } = this.options;
    for (let left = time - clock.now(); left > 0 && !this.stopped; left = time - clock.now()) {
      if (left > 2) await sleep(left - 1);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Runs one operation and records it; true when the connection failed. */
  private async execute(
    w: number,
    op: PlannedOp,
    connection: WorkerConnection,
    runStart: number,
    intended: number | undefined,
  ): Promise<boolean> {
    const { clock, history, recorder, workload } = this.options;
    const id = this.nextId++;
    const start = clock.now();
    const measured = (intended ?? start) >= runStart;
    if (intended !== undefined && measured && start - intended > LATE_MS) this.lateStarts++;
    const node = connection.node;
    history.invoke({ type: 'invoke', id, f: op.f, worker: w, node, time: start, ...(intended === undefined ? {} : { intended }), value: op.args });
    let result: OpResult;
    try {
      const client = await connection.get();
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
