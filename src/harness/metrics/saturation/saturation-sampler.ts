import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { CpuSource, DbNode } from '../../../topologies/topology.ts';
import { containerCpuSeconds } from './container-cpu.ts';
import { machineBusySeconds, mainThreadSchedule, ProcessTreeCpu } from './proc-cpu.ts';
import type { SaturationSample } from '../../results/saturation-sample.ts';
import type { LoopCounters } from './loop-counters.ts';

// Every second while the load runs: is the harness keeping up (its event loop's delay and
// utilisation, its CPU), and how hard are the database servers working (their CPU, read from
// /proc for local processes and from the Engine API for containers)? The figures go to
// timeseries.jsonl as they come and are judged after the run (saturation-verdict.ts).

export const SAMPLE_EVERY_MS = 1_000;
/** A container's stats that take longer than this are skipped for the second (the engine is busy). */
const CONTAINER_STATS_TIMEOUT_MS = 800;

export interface SaturationSamplerOptions {
  /** The run's nodes, asked each second where their CPU can be read (a restarted node has a new pid). */
  readonly nodes: () => readonly DbNode[];
  /** Run-clock now, and the run clock's time of the measured run's start. */
  readonly now: () => number;
  readonly runStart: number;
  /** Each sample as it is taken (timeseries.jsonl). */
  readonly onSample?: (sample: SaturationSample) => void;
  /**
   * Load threads' loops (workload.threads > 1), read each second: the harness's figures are then
   * those of its busiest loop, main thread or load thread, since either can hold the load back.
   */
  readonly loadLoops?: () => readonly (LoopCounters | undefined)[];
}

/** One second of a loop: busy share, timer delay, and its thread's CPU run and wait shares. */
export interface LoopSecond {
  readonly utilization: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
  readonly cpu: number | null;
  readonly cpuWait: number | null;
}

interface CpuReading {
  readonly key: string;
  readonly seconds: number;
}

export class SaturationSampler {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly trees = new ProcessTreeCpu();
  private readonly samples: SaturationSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private last:
    | { time: number; elu: EventLoopUtilization; cpu: NodeJS.CpuUsage; machine: number | undefined; thread: ReturnType<typeof mainThreadSchedule>; nodes: Map<string, CpuReading> }
    | undefined;
  private lastLoops: readonly (LoopCounters | undefined)[] = [];

  constructor(private readonly options: SaturationSamplerOptions) {}

  start(): void {
    this.delay.enable();
    // The baseline: CPU counters are cumulative, each sample is a difference.
    this.sampling = this.readNodes().then((nodes) => {
      this.last = { time: this.options.now(), elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), machine: machineBusySeconds(), thread: mainThreadSchedule(), nodes };
      this.lastLoops = this.options.loadLoops?.() ?? [];
      this.delay.reset();
    }).finally(() => (this.sampling = undefined));
    this.timer = setInterval(() => {
      // A tick whose container stats are still out is skipped, never stacked.
      if (this.sampling) return;
      this.sampling = this.sample().finally(() => (this.sampling = undefined));
    }, SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  /** Stops sampling and returns every sample taken. */
  async stop(): Promise<SaturationSample[]> {
    clearInterval(this.timer);
    await this.sampling?.catch(() => {});
    this.delay.disable();
    return this.samples;
  }

  private async sample(): Promise<void> {
    const last = this.last;
    if (!last) return;
    const nodes = await this.readNodes();
    const time = this.options.now();
    const seconds = (time - last.time) / 1000;
    if (!(seconds > 0)) return;
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const machine = machineBusySeconds();
    const thread = mainThreadSchedule();
    const threadShare = (pick: (t: NonNullable<typeof thread>) => number) => (thread && last.thread ? round((pick(thread) - pick(last.thread)) / seconds) : null);
    const nodeCpu: Record<string, number> = {};
    for (const [name, reading] of nodes) {
      const before = last.nodes.get(name);
      // A node restarted (new pid or container) or unreadable before: no difference to take this second.
      if (before?.key === reading.key && reading.seconds >= before.seconds) nodeCpu[name] = round((reading.seconds - before.seconds) / seconds);
    }
    const values = Object.values(nodeCpu);
    const main: LoopSecond = {
      utilization: performance.eventLoopUtilization(elu, last.elu).utilization,
      delayP99Ms: this.delay.percentile(99) / 1e6,
      delayMaxMs: this.delay.max / 1e6,
      cpu: threadShare((t) => t.run),
      cpuWait: threadShare((t) => t.wait),
    };
    const loops = this.options.loadLoops?.() ?? [];
    const busiest = busiestLoop(main, loops, this.lastLoops, seconds);
    this.lastLoops = loops;
    const sample: SaturationSample = {
      t: round((time - this.options.runStart) / 1000),
      loopDelayP99Ms: round(busiest.delayP99Ms),
      loopDelayMaxMs: round(busiest.delayMaxMs),
      loopUtilization: round(busiest.utilization),
      loopCpu: busiest.cpu,
      loopCpuWait: busiest.cpuWait,
      harnessCpu: round((cpu.user - last.cpu.user + cpu.system - last.cpu.system) / 1e6 / seconds),
      databaseCpu: values.length > 0 ? round(values.reduce((a, b) => a + b, 0)) : null,
      nodeCpu,
      machineCpu: machine === undefined || last.machine === undefined ? null : round((machine - last.machine) / seconds),
    };
    this.delay.reset();
    this.last = { time, elu, cpu, machine, thread, nodes };
    this.samples.push(sample);
    this.options.onSample?.(sample);
  }

  /** Cumulative CPU seconds per node name, for the nodes that could be read. */
  private async readNodes(): Promise<Map<string, CpuReading>> {
    const sources = this.options.nodes().flatMap((node) => {
      const source = node.cpuSource?.();
      return source ? [{ name: node.name, source }] : [];
    });
    const readings = new Map<string, CpuReading>();
    const leaders = sources.flatMap(({ source }) => (source.kind === 'process-tree' ? [source.pid] : []));
    const trees = leaders.length > 0 ? this.trees.read(leaders) : new Map<number, number>();
    await Promise.all(
      sources.map(async ({ name, source }) => {
        const seconds = source.kind === 'process-tree' ? trees.get(source.pid) : await withTimeout(containerCpuSeconds(source.id));
        if (seconds !== undefined) readings.set(name, { key: keyOf(source), seconds });
      }),
    );
    return readings;
  }
}

/**
 * The loop that held the load back most this second: the busiest (main thread or load thread), with
 * the worst timer delay of any. A load thread without two readings yet counts as idle.
 */
export function busiestLoop(main: LoopSecond, now: readonly (LoopCounters | undefined)[], before: readonly (LoopCounters | undefined)[], seconds: number): LoopSecond {
  let busiest = main;
  let delayP99Ms = main.delayP99Ms;
  let delayMaxMs = main.delayMaxMs;
  now.forEach((reading, i) => {
    const last = before[i];
    if (!reading || !last) return;
    const active = reading.activeMs - last.activeMs;
    const total = active + reading.idleMs - last.idleMs;
    const utilization = total > 0 ? active / total : 0;
    delayP99Ms = Math.max(delayP99Ms, reading.delayP99Ms);
    delayMaxMs = Math.max(delayMaxMs, reading.delayMaxMs);
    if (utilization <= busiest.utilization) return;
    const share = (a: number | null, b: number | null) => (a === null || b === null ? null : round((a - b) / seconds));
    busiest = { ...busiest, utilization, cpu: share(reading.run, last.run), cpuWait: share(reading.wait, last.wait) };
  });
  return { ...busiest, delayP99Ms, delayMaxMs };
}

function keyOf(source: CpuSource): string {
  return source.kind === 'process-tree' ? `pid:${source.pid}` : `container:${source.id}`;
}

async function withTimeout(reading: Promise<number | undefined>): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), CONTAINER_STATS_TIMEOUT_MS)));
  try {
    return await Promise.race([reading.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
