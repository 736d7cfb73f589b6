import { createRandom } from '../workload/random.ts';

/**
 * Open-loop intended start times (ms on the run clock), as wrk2: the schedule runs on regardless
 * of how the servers keep up, and latency is measured from these times, so a stalled server
 * cannot hide its own slowness (coordinated omission). Poisson arrivals are seeded.
 */
export class ArrivalSchedule {
  private nextTime: number;
  private readonly random;

  constructor(
    start: number,
    private readonly rate: number,
    private readonly arrivals: 'regular' | 'poisson',
    seed: number,
  ) {
    this.nextTime = start;
    this.random = createRandom(seed, 'arrivals');
  }

  /** The next intended start, without taking it. */
  peek(): number {
    return Math.round(this.nextTime * 1000) / 1000;
  }

  next(): number {
    const time = this.nextTime;
    const meanGap = 1000 / this.rate;
    const gap = this.arrivals === 'regular' ? meanGap : -Math.log(1 - this.random.float()) * meanGap;
    this.nextTime += gap;
    return Math.round(time * 1000) / 1000;
  }
}
