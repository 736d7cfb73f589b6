/** The run's time origin: history times are ms since it, with sub-ms resolution. */
export class RunClock {
  readonly origin = performance.now();
  readonly wallOrigin = new Date();

  /** Rounded to the microsecond: finer digits are noise and cost history bytes. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }
}
