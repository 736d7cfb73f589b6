import type { SaturationSample } from './saturation-sample.ts';

// results.json saturation and load.overload: what the saturation verdict found, as recorded.

/** The constants a verdict was judged with (metrics/saturation/saturation-verdict.ts says why each). */
export interface SaturationThresholds {
  readonly loopUtilization: number;
  readonly loopDelayP99Ms: number;
  readonly databaseCpuShare: number;
  readonly boundSecondsShare: number;
  readonly otherProcessesCpuShare: number;
  readonly overloadShortfall: number;
}

export interface FigureRange {
  readonly mean: number;
  readonly max: number;
}

export interface SideVerdict {
  /** Run-phase seconds (sample t, seconds from the run's start) that crossed the side's threshold. */
  readonly saturatedSeconds: readonly number[];
  /** The same as ranges, for people: "3–7, 12". */
  readonly affected: string;
  /** At least boundSecondsShare of the run-phase seconds. */
  readonly bound: boolean;
}

export interface SaturationResults {
  readonly thresholds: SaturationThresholds;
  readonly cores: number;
  /** Samples of the run phase (warmup and the seconds after the phase are left out). */
  readonly seconds: number;
  readonly harness: SideVerdict & {
    /** Saturated seconds in which the main thread waited for a CPU longer than it ran while other processes had the cores. */
    readonly starvedSeconds: readonly number[];
    /** At least boundSecondsShare of the seconds were starved: the run measured a shared machine. `bound` counts only the others. */
    readonly contended: boolean;
    readonly loopDelayP99Ms: FigureRange;
    readonly loopUtilization: FigureRange;
    /** The main thread on a CPU, and waiting for one, as shares of each second (null off Linux). */
    readonly loopCpu: FigureRange | null;
    readonly loopCpuWait: FigureRange | null;
    readonly cpu: FigureRange;
  };
  readonly database: (SideVerdict & { readonly cpu: FigureRange }) | { readonly measured: false; readonly reason: string };
  readonly machineCpu: FigureRange | null;
  /** Every sample of the run phase, as in timeseries.jsonl. */
  readonly samples: readonly SaturationSample[];
}

export type SaturatedSide = 'harness' | 'database' | 'both' | 'neither';

export interface OverloadVerdict {
  readonly offeredRate: number;
  readonly achievedRate: number;
  /** 1 − achieved / offered (negative when more was achieved than offered). */
  readonly shortfall: number;
  readonly overloaded: boolean;
  /** Overloaded runs: which side the saturation figures show was the limit. */
  readonly saturated?: SaturatedSide;
  readonly explanation?: string;
}
