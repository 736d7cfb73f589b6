// One second of the saturation sampler, as timeseries.jsonl and results.json hold it.

export interface SaturationSample {
  /** Seconds from the measured run's start at the end of this second (negative in warmup). */
  readonly t: number;
  /** The harness's event loop: how late a timer fired, 99th percentile and max, ms (perf_hooks.monitorEventLoopDelay). */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** Share of the second the harness's busiest event loop (main thread, or a load thread with workload.threads) was busy (performance.eventLoopUtilization), 0..1. */
  readonly loopUtilization: number;
  /**
   * The harness's main thread, or the busiest load thread (/proc/self/task/<tid>/schedstat): share of the second it ran on
   * a CPU, and share it was ready to run but waited for one (other processes had the cores).
   * null off Linux.
   */
  readonly loopCpu: number | null;
  readonly loopCpuWait: number | null;
  /** The harness process's CPU (process.cpuUsage, every thread), in cores: 1 is one core busy all second. */
  readonly harnessCpu: number;
  /** The database servers' CPU, in cores, summed over the nodes read; null when none could be read this second. */
  readonly databaseCpu: number | null;
  /** Per node, in cores (nodes that could not be read this second are absent). */
  readonly nodeCpu: Readonly<Record<string, number>>;
  /** The whole machine's busy CPU (every process, /proc/stat), in cores; null off Linux. */
  readonly machineCpu: number | null;
}
