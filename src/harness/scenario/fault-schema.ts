import { z } from 'zod';
import { boundedDuration } from '../units/duration-schema.ts';
import { LIMITS } from '../units/limits.ts';

const FaultTime = boundedDuration(LIMITS.faultTimeMs);
const FaultDelay = boundedDuration(LIMITS.faultDelayMs);

// The fault timeline, Jepsen's nemesis as plain data. Every fault starts `at` a time after the
// measured run begins (warmup excluded), may repeat `every` interval `until` a time, and heals
// after `duration` (without one it lasts until the end of the run, and is healed before checks).

const TARGET_HELP =
  'primary | replica (one replica, chosen by the seed) | replicas | random (any node, by the seed) | all | a node name';
export const Target = z.string().min(1).meta({ description: TARGET_HELP });
/** A side of a link or partition: a target, or "clients" (the load driver and the harness's readers). */
const Party = z.string().min(1).meta({ description: `${TARGET_HELP} | clients` });

const timing = {
  at: FaultTime.meta({ description: 'start, measured from the beginning of the measured run' }),
  duration: boundedDuration(LIMITS.faultTimeMs, 1).optional().meta({ description: 'heal after this long; omitted: lasts until the run ends' }),
  // A fault every few milliseconds would be a storm no report could show: at least 100ms apart.
  every: boundedDuration(LIMITS.faultTimeMs, 100).optional().meta({ description: 'repeat with this period' }),
  until: FaultTime.optional().meta({ description: 'last repetition starts before this time (default: end of run)' }),
};

/** kill / stop only: a node that does not come back, so the final-state checks must say they could not read it. */
const leaveDown = z.boolean().default(false).meta({
  description:
    'true: never healed, not even before the checks: the node stays down to the end, and every final-state check that needs it ' +
    'says unknown, naming it (no duration)',
});

/** kill / pause under failover.mode patroni: the whole node, or only one of the processes beside its server. */
const part = z.enum(['node', 'manager', 'store']).optional().meta({
  description:
    'failover.mode patroni: node (default): Patroni and PostgreSQL together; manager: Patroni alone (the server runs on unmanaged); ' +
    'store: the etcd member beside the node alone',
});

const Kill = z.strictObject({
  kind: z.literal('kill').meta({ description: 'SIGKILL every process of the server; heal restarts it (as a replica after a failover)' }),
  target: Target,
  during: z.enum(['commit']).optional().meta({
    description:
      "commit (pg-partitioned): from `at`, wait for the next checkout whose commit involves the target and kill it at that commit point " +
      '(2pc: every node prepared, nothing decided; plain: shards before it in postgres_fdw\'s commit loop committed, the rest not); ' +
      'target: one node; the heal still comes `duration` after `at`',
  }),
  leaveDown,
  part,
  ...timing,
});
const Pause = z.strictObject({
  kind: z.literal('pause').meta({ description: 'SIGSTOP every process of the server; heal resumes it' }),
  target: Target,
  part,
  ...timing,
});
const Stop = z.strictObject({
  kind: z.literal('stop').meta({ description: 'graceful (fast) shutdown; heal starts it again' }),
  target: Target,
  leaveDown,
  ...timing,
});
const Partition = z
  .strictObject({
    kind: z.literal('partition'),
    isolate: Party.optional().meta({ description: 'cut every link to and from these nodes' }),
    sides: z.array(z.array(Party).min(1)).min(2).optional().meta({ description: 'cut every link between different sides' }),
    between: z.tuple([Party, Party]).optional().meta({ description: 'cut the links between two parties' }),
    direction: z
      .enum(['both', 'one-way'])
      .default('both')
      .meta({ description: 'one-way: only traffic from the first party to the second is lost' }),
    mode: z.enum(['blackhole', 'reset']).default('blackhole').meta({
      description: 'blackhole: connections hang as on a real partition; reset: connections are refused at once',
    }),
    ...timing,
  })
  .refine((p) => [p.isolate, p.sides, p.between].filter((x) => x !== undefined).length === 1, {
    message: 'a partition needs exactly one of isolate, sides or between',
  });
const Latency = z.strictObject({
  kind: z.literal('latency'),
  between: z.tuple([Party, Party]).optional().meta({ description: 'default: every link' }),
  delay: FaultDelay.meta({ description: 'added one way, in each direction' }),
  jitter: FaultDelay.default(0),
  ...timing,
});
const Bandwidth = z.strictObject({
  kind: z.literal('bandwidth'),
  between: z.tuple([Party, Party]).optional().meta({ description: 'default: every link' }),
  bytesPerSecond: z.int().positive().max(LIMITS.bytesPerSecond),
  ...timing,
});
const Reset = z.strictObject({
  kind: z.literal('reset').meta({ description: 'reset every connection to the target (clients and replication)' }),
  target: Target,
  ...timing,
});
const Failover = z.strictObject({
  kind: z.literal('failover').meta({ description: 'promote the most caught-up replica now (topology.failover.mode: manual)' }),
  at: timing.at,
});

export const Fault = z
  .discriminatedUnion('kind', [Kill, Pause, Stop, Partition, Latency, Bandwidth, Reset, Failover])
  .superRefine((fault, ctx) => {
    if ('every' in fault && fault.every !== undefined && fault.duration !== undefined && fault.duration >= fault.every) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'must be shorter than every, or the fault would overlap itself' });
    }
    if ('leaveDown' in fault && fault.leaveDown && (fault.duration !== undefined || fault.every !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['leaveDown'], message: 'a node left down is never healed: drop duration and every' });
    }
    if ('until' in fault && fault.until !== undefined && fault.every === undefined) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'only means something with every' });
    }
  });

export type Fault = z.output<typeof Fault>;
export type FaultKind = Fault['kind'];
