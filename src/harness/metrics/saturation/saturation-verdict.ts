import type { SaturationSample } from '../../results/saturation-sample.ts';
import type { FigureRange, OverloadVerdict, SaturatedSide, SaturationResults, SaturationThresholds, SideVerdict } from '../../results/saturation-results.ts';

export type { FigureRange, OverloadVerdict, SaturatedSide, SaturationResults, SaturationThresholds, SideVerdict };

// From the per-second samples to the run's marks. Each threshold is a constant here, written
// out in results.json beside the verdict and in the README, so a mark can be re-derived by hand.
//
// - A second is harness-saturated when the harness's main thread was busy at least 95% of it
//   (event-loop utilisation) or a timer fired 250 ms late or more (event-loop delay, p99): the
//   driver then starts and completes operations later than the servers allow, whatever they do.
//   Measured on a shared 2-core machine: an overloaded open loop keeps its loop 99-100% busy;
//   a normal closed-loop quickstart stays near 80% with single seconds above 90%, and timers
//   there run 20-170 ms late when other processes take the CPU, so delay alone marks little.
// - A saturated second is starved when the harness's main thread waited for a CPU longer than it
//   ran while processes other than the harness and the database used at least 25% of the cores:
//   the harness could not keep up because other work on the machine had the CPU.
// - A run is harness-bound when at least 20% of its run-phase seconds were saturated and not
//   starved (its own work saturated it), and cpu-contended when at least 20% were starved (its
//   figures describe a shared machine; a quieter one measures more).
// - A second is database-saturated when the database servers used at least 90% of the CPU the
//   harness left them (cores − harness CPU): on one machine they cannot go faster.
// - The database side is bound when at least 20% of the seconds were database-saturated.
//   A share and at least one second: a stray slow second (a GC pause, a checkpoint) marks nothing.
// - An open loop is overloaded when its achieved rate falls more than 5% short of the offered
//   rate (the arrivals its schedule held for the phase, per second of it).

export const SATURATION_THRESHOLDS = {
  loopUtilization: 0.95,
  loopDelayP99Ms: 250,
  databaseCpuShare: 0.9,
  boundSecondsShare: 0.2,
  otherProcessesCpuShare: 0.25,
  overloadShortfall: 0.05,
} as const satisfies SaturationThresholds;

export function harnessSaturated(sample: SaturationSample, t: SaturationThresholds = SATURATION_THRESHOLDS): boolean {
  return sample.loopUtilization >= t.loopUtilization || sample.loopDelayP99Ms >= t.loopDelayP99Ms;
}

/** A saturated second in which the main thread waited for a CPU longer than it ran, while other processes used the cores. */
export function harnessStarved(sample: SaturationSample, cores: number, t: SaturationThresholds = SATURATION_THRESHOLDS): boolean {
  if (!harnessSaturated(sample, t) || sample.loopCpu === null || sample.loopCpuWait === null || sample.machineCpu === null) return false;
  const others = sample.machineCpu - sample.harnessCpu - (sample.databaseCpu ?? 0);
  return sample.loopCpuWait > sample.loopCpu && others >= t.otherProcessesCpuShare * cores;
}

export function databaseSaturated(sample: SaturationSample, cores: number, t: SaturationThresholds = SATURATION_THRESHOLDS): boolean {
  if (sample.databaseCpu === null) return false;
  const left = Math.max(0, cores - sample.harnessCpu);
  return left > 0 && sample.databaseCpu >= t.databaseCpuShare * left;
}

/** The samples that belong to the run phase: those ending after its start and at most half a second past its end. */
export function runPhaseSamples(samples: readonly SaturationSample[], runPhaseMs: number): SaturationSample[] {
  const end = runPhaseMs / 1000;
  return samples.filter((s) => s.t > 0.5 && s.t <= end + 0.5);
}

export function judgeSaturation(samples: readonly SaturationSample[], runPhaseMs: number, cores: number, t: SaturationThresholds = SATURATION_THRESHOLDS): SaturationResults {
  const run = runPhaseSamples(samples, runPhaseMs);
  const label = secondLabels(run);
  const enough = (count: number) => count > 0 && count >= t.boundSecondsShare * run.length;
  const side = (saturated: (s: SaturationSample) => boolean): SideVerdict => {
    const seconds = run.filter(saturated).map((s) => label.get(s)!);
    return { saturatedSeconds: seconds, affected: secondRanges(seconds), bound: enough(seconds.length) };
  };
  const harnessSide = side((s) => harnessSaturated(s, t));
  const starved = run.filter((s) => harnessStarved(s, cores, t)).map((s) => label.get(s)!);
  const measured = run.filter((s) => s.databaseCpu !== null);
  const machine = run.flatMap((s) => (s.machineCpu === null ? [] : [s.machineCpu]));
  const known = (pick: (s: SaturationSample) => number | null) => {
    const values = run.flatMap((s) => (pick(s) === null ? [] : [pick(s)!]));
    return values.length > 0 ? range(values) : null;
  };
  return {
    thresholds: t,
    cores,
    seconds: run.length,
    harness: {
      ...harnessSide,
      bound: enough(harnessSide.saturatedSeconds.length - starved.length),
      starvedSeconds: starved,
      contended: enough(starved.length),
      loopDelayP99Ms: range(run.map((s) => s.loopDelayP99Ms)),
      loopUtilization: range(run.map((s) => s.loopUtilization)),
      loopCpu: known((s) => s.loopCpu),
      loopCpuWait: known((s) => s.loopCpuWait),
      cpu: range(run.map((s) => s.harnessCpu)),
    },
    database:
      measured.length === 0
        ? { measured: false, reason: run.length === 0 ? 'no second of the run phase was sampled' : 'no database node exposed its CPU (no local process or container to read)' }
        : { ...side((s) => databaseSaturated(s, cores, t)), cpu: range(measured.map((s) => s.databaseCpu!)) },
    machineCpu: machine.length > 0 ? range(machine) : null,
    samples: run,
  };
}

export function isDatabaseMeasured(database: SaturationResults['database']): database is SideVerdict & { readonly cpu: FigureRange } {
  return !('measured' in database);
}

/**
 * Open loops: did the run achieve what was offered, and if not, which side the saturation
 * figures blame. `offeredRate`: the schedule's arrivals for the phase per second of it.
 */
export function judgeOverload(offeredRate: number, achievedRate: number, saturation: SaturationResults | undefined, t: SaturationThresholds = SATURATION_THRESHOLDS): OverloadVerdict {
  const shortfall = offeredRate > 0 ? round(1 - achievedRate / offeredRate) : 0;
  const base = { offeredRate: round(offeredRate), achievedRate: round(achievedRate), shortfall };
  if (!(shortfall > t.overloadShortfall)) return { ...base, overloaded: false };
  const harness = saturation?.harness.bound === true || saturation?.harness.contended === true;
  const database = saturation !== undefined && isDatabaseMeasured(saturation.database) && saturation.database.bound;
  const saturated: SaturatedSide = harness && database ? 'both' : harness ? 'harness' : database ? 'database' : 'neither';
  return { ...base, overloaded: true, saturated, explanation: explain(saturated, saturation) };
}

function explain(side: SaturatedSide, saturation: SaturationResults | undefined): string {
  return capitalise(explanation(side, saturation));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function explanation(side: SaturatedSide, saturation: SaturationResults | undefined): string {
  if (!saturation) return 'no saturation figures were taken, so the limiting side is not known';
  const { harness, database, cores } = saturation;
  const harnessText = `the harness was saturated in ${harness.saturatedSeconds.length} of ${saturation.seconds} s (event-loop utilisation up to ${pct(harness.loopUtilization.max)}, delay p99 up to ${harness.loopDelayP99Ms.max} ms)`;
  const dbText = isDatabaseMeasured(database)
    ? `the database used up to ${database.cpu.max} of the ${cores} cores (saturated in ${database.saturatedSeconds.length} of ${saturation.seconds} s)`
    : `the database's CPU was not measured (${database.reason})`;
  const machine = saturation.machineCpu ? `; the machine as a whole used up to ${saturation.machineCpu.max} of ${cores} cores` : '';
  switch (side) {
    case 'harness':
      return `${harnessText}, while ${dbText}${machineFull(saturation)}: the load generator, not the database, set the rate`;
    case 'database':
      return `${dbText}, while the harness kept up: the database set the rate`;
    case 'both':
      return `${harnessText} and ${dbText}${machineFull(saturation)}: both sides ran out of CPU on this machine`;
    case 'neither':
      return `neither side crossed its threshold (${harnessText}; ${dbText}${machine}): the limit lies elsewhere (locks, I/O, other processes on the machine)`;
  }
}

/** Said when the machine had no CPU to spare: the harness may have been starved by other processes rather than busy itself. */
export function machineFull(saturation: SaturationResults): string {
  const { harness, machineCpu } = saturation;
  if (harness.starvedSeconds.length === 0) return '';
  const machine = machineCpu ? `, the machine's ${saturation.cores} cores ${machineCpu.mean} busy on average` : '';
  const wait = harness.loopCpuWait ? ` (it waited for a CPU ${pct(harness.loopCpuWait.mean)} of the time and ran ${pct(harness.loopCpu?.mean ?? 0)}${machine})` : '';
  return `; in ${harness.starvedSeconds.length} of ${harness.saturatedSeconds.length} saturated seconds the harness was starved rather than busy${wait}: processes other than the harness and the database had the cores, and a quieter machine would measure more`;
}

/**
 * Each sample's whole second of the run phase: its end rounded, or one past the previous sample's
 * when a late tick (a loaded machine) rounds two samples onto the same second.
 */
function secondLabels(samples: readonly SaturationSample[]): Map<SaturationSample, number> {
  const labels = new Map<SaturationSample, number>();
  let previous = 0;
  for (const sample of samples) {
    previous = Math.max(Math.round(sample.t), previous + 1);
    labels.set(sample, previous);
  }
  return labels;
}

/** "1–4, 7" from sorted whole seconds. */
export function secondRanges(seconds: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seconds.length; ) {
    let j = i;
    while (j + 1 < seconds.length && seconds[j + 1] === seconds[j]! + 1) j++;
    parts.push(j === i ? `${seconds[i]}` : `${seconds[i]}–${seconds[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function range(values: readonly number[]): FigureRange {
  if (values.length === 0) return { mean: 0, max: 0 };
  return { mean: round(values.reduce((a, b) => a + b, 0) / values.length), max: round(Math.max(...values)) };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const pct = (value: number) => `${Math.round(value * 100)}%`;
