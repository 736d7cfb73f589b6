import { z } from 'zod';
import { boundedDuration } from '../units/duration-schema.ts';
import { LIMITS } from '../units/limits.ts';

// Fields several fault kinds share. Every fault starts `at` a time after the measured run begins
// (warmup excluded), may repeat `every` interval `until` a time, and heals after `duration`
// (without one it lasts until the end of the run, and is healed before the checks).

const TARGET_HELP =
  'primary | replica (one replica, chosen by the seed) | replicas | random (any node, by the seed) | all | a node name';
export const Target = z.string().min(1).meta({ description: TARGET_HELP });
/** A side of a link or partition: a target, or "clients" (the load driver and the harness's readers). */
export const Party = z.string().min(1).meta({ description: `${TARGET_HELP} | clients` });

export const FaultTime = boundedDuration(LIMITS.faultTimeMs);
export const FaultDelay = boundedDuration(LIMITS.faultDelayMs);

export const timing = {
  at: FaultTime.meta({ description: 'start, measured from the beginning of the measured run' }),
  duration: boundedDuration(LIMITS.faultTimeMs, 1).optional().meta({ description: 'heal after this long; omitted: lasts until the run ends' }),
  // A fault every few milliseconds would be a storm no report could show: at least 100ms apart.
  every: boundedDuration(LIMITS.faultTimeMs, 100).optional().meta({ description: 'repeat with this period' }),
  until: FaultTime.optional().meta({ description: 'last repetition starts before this time (default: end of run)' }),
};

/** Node faults that stop a node: one that does not come back, so the final-state checks must say they could not read it. */
export const leaveDown = z.boolean().default(false).meta({
  description:
    'true: never healed, not even before the checks: the node stays down to the end, and every final-state check that needs it ' +
    'says unknown, naming it (no duration)',
});

/** Node faults under failover.mode patroni: the whole node, or only one of the processes beside its server. */
export const part = z.enum(['node', 'manager', 'store']).optional().meta({
  description:
    'failover.mode patroni: node (default): Patroni and PostgreSQL together; manager: Patroni alone (the server runs on unmanaged); ' +
    'store: the etcd member beside the node alone',
});

/** Between two parties, or every link when left out (slow-link faults). */
export const between = z.tuple([Party, Party]).optional().meta({ description: 'default: every link' });
