/** The run's time origin: history times are ms since it, with sub-ms resolution. */
export class RunClock {
  readonly origin = performance.now();
  readonly wallOrigin = new Date();

  now(): number {
    return performance.now() - this.origin;
  }
}
