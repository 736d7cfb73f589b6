/** Wall time of each run phase, in the order they ran. */
export class PhaseTimer {
  readonly durations: Record<string, number> = {};
  current: string | undefined;

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    this.current = phase;
    try {
      return await work();
    } finally {
      this.durations[phase] = Math.round(performance.now() - start);
    }
  }
}
