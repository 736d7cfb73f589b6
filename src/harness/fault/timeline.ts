import type { Fault } from './fault-catalog.ts';

/** One scheduled occurrence of a scenario fault, times in ms from the measured run's start. */
export interface Occurrence {
  readonly id: number;
  readonly fault: Fault;
  readonly start: number;
  /** Undefined: lasts until the run ends and is healed before the checks. */
  readonly end: number | undefined;
}

/** Expands `every`/`until` repetitions into concrete occurrences, in start order. */
export function expandTimeline(faults: readonly Fault[], runMs: number): Occurrence[] {
  const occurrences: Omit<Occurrence, 'id'>[] = [];
  for (const fault of faults) {
    const duration = 'duration' in fault ? fault.duration : undefined;
    const every = 'every' in fault ? fault.every : undefined;
    const until = Math.min(('until' in fault ? fault.until : undefined) ?? runMs, runMs);
    for (let start = fault.at; start < runMs && (start === fault.at || start < until); start += every ?? Infinity) {
      occurrences.push({ fault, start, end: duration === undefined ? undefined : start + duration });
      if (every === undefined || every <= 0) break;
    }
  }
  return occurrences.sort((a, b) => a.start - b.start).map((occurrence, i) => ({ ...occurrence, id: i + 1 }));
}
