// Upper bounds on every size and rate a scenario gives: what one machine (a laptop, a 2-core CI
// box) can be asked to do in a run someone waits for. Beyond them a run would never end, fill the
// disk or exhaust memory before it measured anything, so they are validation errors that name
// the bound (and the JSON Schema carries them as maximum).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const LIMITS = {
  /** Measured run. */
  durationMs: 24 * HOUR,
  warmupMs: 1 * HOUR,
  cartExpiryMs: 30 * 24 * HOUR,
  timeoutMs: 10 * MINUTE,
  /** Progress lines: not more often than 10 per second, at least one per hour. */
  progressMinMs: 100,
  progressMaxMs: 1 * HOUR,
  detectAfterMs: 10 * MINUTE,
  /** Closed-loop workers, open-loop connections: each is a server backend and a socket. */
  concurrency: 1000,
  connections: 1000,
  /** Load threads: one per core is the point; more only share the cores. */
  threads: 64,
  /** Operations per second an open loop may be asked for (two cores manage a few thousand). */
  rate: 50_000,
  customers: 10_000_000,
  products: 1_000_000,
  categories: 10_000,
  initialStock: 1_000_000_000,
  ratingsPerCustomer: 50,
  ordersPerCustomer: 50,
  /** A fault's start, period and end, and a latency fault's delay. */
  faultTimeMs: 24 * HOUR,
  faultDelayMs: 60 * SECOND,
  bytesPerSecond: 10_000_000_000,
  /** Scenario files are short: the largest shipped one is a few kilobytes. */
  scenarioFileBytes: 1024 * 1024,
  /** Validation stops listing problems after this many and says how many more there are. */
  problemsShown: 50,
} as const;
