import { z } from 'zod';
import { Duration } from '../units/duration-schema.ts';
import { FAULT_KIND_NAMES } from '../fault/fault-catalog.ts';

// Bounds of the availability and replication-lag checks (scenario field bounds.availability,
// bounds['replication-lag']). Defaults are what a user expects of a system that fails over or
// replicates on one machine: a failover within seconds, a replica seconds behind at most.

export const DEFAULT_MAX_UNAVAILABLE_MS = 30_000;
export const DEFAULT_MAX_STALENESS_MS = 5_000;
export const DEFAULT_MIN_SAMPLE_RATE = 0.5;

export const AvailabilityBounds = z
  .strictObject({
    maxUnavailable: Duration.default(DEFAULT_MAX_UNAVAILABLE_MS).meta({
      description:
        'longest stretch without a successful write while writes were tried, anywhere in the load (the whole outage, however long after a heal)',
    }),
    perFault: z.partialRecord(z.enum(FAULT_KIND_NAMES), Duration).default({}).meta({
      description:
        'by fault kind (e.g. { kill: 20s, partition: 10s }): longest stretch without a successful write from the fault\'s start until the ' +
        'first successful write after it healed; a kind not named uses maxUnavailable',
    }),
  })
  .prefault({});

export const ReplicationLagBounds = z
  .strictObject({
    maxStaleness: Duration.default(DEFAULT_MAX_STALENESS_MS).meta({
      description: 'how far behind its source a replica may be: the age of the oldest heartbeat it does not show yet',
    }),
    minSampleRate: z.number().nonnegative().default(DEFAULT_MIN_SAMPLE_RATE).meta({
      description:
        'staleness samples per second per replica, over the load, needed for a valid verdict (the sampler aims at 10); below it: unknown, naming the replica',
    }),
    statistic: z.enum(['max', 'p99']).default('max').meta({
      description: "per replica, what is held to maxStaleness: max (every sample) or p99 (tolerates 1 % of samples above it)",
    }),
  })
  .prefault({});

export type AvailabilityBounds = z.output<typeof AvailabilityBounds>;
export type ReplicationLagBounds = z.output<typeof ReplicationLagBounds>;
