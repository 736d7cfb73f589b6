/** The run's time origin: history times are ms since it, with sub-ms resolution. */
export class RunClock {
  readonly origin: number;
  readonly wallOrigin: Date;

  /**
   * `shared`: another thread's clock (its performance.timeOrigin + origin, and its wall origin), so that a load thread's
   * times are on the run's clock. performance.timeOrigin + now() agrees across a process's threads
   * (measured: a message's send and receive stamps 0.2-0.3 ms apart, never reversed).
   */
  constructor(shared?: { readonly epochOrigin: number; readonly wallOrigin: number }) {
    this.origin = shared ? shared.epochOrigin - performance.timeOrigin : performance.now();
    this.wallOrigin = new Date(shared?.wallOrigin ?? Date.now());
  }

  /** Rounded to the microsecond: finer digits are noise and cost history bytes. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }
}
