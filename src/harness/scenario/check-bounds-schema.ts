import { z } from 'zod';
import { AvailabilityBounds, ReplicationLagBounds } from './availability-lag-bounds-schema.ts';

// The explicit bounds each check judges against (scenario field `bounds`). A check with no
// bound cannot fail, so every verdict names the bound it applied (results.json checks.<name>.bound).
// Each check owns one key here; defaults are what a user of the field would expect.
// Keys are added per check: availability, replication-lag, read-your-writes, monotonic-reads, ...

/** Session checks judge only some reads (a full page may hide an order): below this share of reads judged, the verdict is unknown. */
export const DEFAULT_MIN_COVERAGE = 0.5;
const SessionCheckBound = z
  .strictObject({
    minCoverage: z.number().min(0).max(1).default(DEFAULT_MIN_COVERAGE).meta({
      description: `share of ok order-history reads that must be judged for a valid verdict (else unknown); default ${DEFAULT_MIN_COVERAGE}`,
    }),
  })
  .prefault({});

export const CheckBounds = z
  .strictObject({
    'read-your-writes': SessionCheckBound.meta({ description: 'read-your-writes: minCoverage' }),
    'monotonic-reads': SessionCheckBound.meta({ description: 'monotonic-reads: minCoverage' }),
    availability: AvailabilityBounds.meta({ description: 'availability: maxUnavailable overall and perFault by kind' }),
    'replication-lag': ReplicationLagBounds.meta({ description: 'replication-lag: maxStaleness per replica, judged on max or p99' }),
  })
  .prefault({})
  .meta({ description: 'explicit bounds the checks judge against; every verdict in results.json names the bound it applied' });

export type CheckBounds = z.output<typeof CheckBounds>;
