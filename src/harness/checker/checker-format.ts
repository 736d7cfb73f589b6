// How checkers present results to a person: few concrete examples, times they can find in the
// history (ms since the run's origin, shown in seconds), numbers with their nouns.

/** Enough to look anomalies up without flooding the report. */
export const MAX_EXAMPLES = 10;

/** Keeps the first MAX_EXAMPLES items offered; the total is counted elsewhere. */
export class ExampleList<T> {
  readonly items: T[] = [];

  offer(item: T): void {
    if (this.items.length < MAX_EXAMPLES) this.items.push(item);
  }

  get full(): boolean {
    return this.items.length >= MAX_EXAMPLES;
  }
}

/** A history time (ms since the run's origin) as people read it: "t=12.345 s". */
export function at(ms: number): string {
  return `t=${(ms / 1000).toFixed(3)} s`;
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** Round to µs: history times carry float noise (e.g. 3.0430000000000064) that reports should not. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
