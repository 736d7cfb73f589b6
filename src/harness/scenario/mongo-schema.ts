import { z } from 'zod';
import { boundedDuration } from '../units/duration-schema.ts';
import { LIMITS } from '../units/limits.ts';
import { mongoParameterProblem } from './server-settings.ts';

// The MongoDB topologies and the client settings that decide their consistency: write concern,
// read concern, read preference and causal consistency are per scenario because they ARE the
// experiment (w:1 with an isolated primary loses writes, w:majority does not).

export const WriteConcern = z
  .strictObject({
    w: z
      .union([z.literal('majority'), z.int().min(0).max(50)])
      .default('majority')
      .meta({ description: 'acknowledge after 1, n or a majority of members have the write' }),
    j: z.boolean().default(true).meta({ description: 'acknowledge only after the write is in the on-disk journal' }),
    wtimeout: boundedDuration(LIMITS.timeoutMs).default(5_000).meta({ description: 'give up waiting for w members (the write may still have happened: info)' }),
  })
  .default({ w: 'majority', j: true, wtimeout: 5_000 });
export type WriteConcernSpec = z.output<typeof WriteConcern>;

export const ReadConcernLevel = z.enum(['local', 'available', 'majority', 'linearizable', 'snapshot']);
export const ReadPreferenceMode = z.enum(['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest']);

const MongodParameters = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9.]*$/, 'a mongod server parameter name'), z.union([z.string().max(1024), z.number(), z.boolean()]))
  // A scenario is data: parameters naming files, hosts or keys are refused (server-settings.ts).
  .superRefine((parameters, ctx) => {
    for (const name of Object.keys(parameters)) {
      const problem = mongoParameterProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  })
  .default({})
  .meta({ description: 'extra mongod --setParameter name=value for every mongod' });

const clientSettings = {
  settings: MongodParameters,
  writeConcern: WriteConcern,
  readConcern: ReadConcernLevel.default('local').meta({ description: 'read concern of every read (transactions use snapshot)' }),
  readPreference: ReadPreferenceMode.default('secondaryPreferred').meta({
    description: 'where reads with readFrom: replicas go (primary: nowhere else); reads with readFrom: primary always go to the primary',
  }),
  causalConsistency: z.boolean().default(false).meta({
    description: "each client worker is a causally consistent session: its reads wait for its own writes' cluster time",
  }),
};

/** A member beyond the voting data-bearing ones: invisible to clients, optionally behind by a delay. */
const HiddenMember = z.strictObject({
  delay: boundedDuration(LIMITS.durationMs).default(0).meta({ description: 'secondaryDelaySecs: how far behind the primary it applies the oplog (whole seconds)' }),
});

const electionTimeout = boundedDuration(LIMITS.timeoutMs, 1).default(10_000).meta({
  description: 'settings.electionTimeoutMillis: how long secondaries wait for the primary before calling an election (MongoDB default 10s)',
});

export const MongoReplicaSet = z
  .strictObject({
    kind: z.literal('mongo-replica-set'),
    members: z.int().min(3).max(7).default(3).meta({ description: 'voting, data-bearing members (the first is primary at start)' }),
    priorities: z.array(z.number().min(0).max(1000)).optional().meta({
      description: 'one election priority per member, in member order; default 2 for the first, 1 for the others',
    }),
    arbiter: z.boolean().default(false).meta({ description: 'add an arbiter: votes in elections, holds no data' }),
    hidden: HiddenMember.optional().meta({ description: 'add a hidden secondary (priority 0, no votes), optionally delayed' }),
    electionTimeout,
    ...clientSettings,
  })
  .superRefine((spec, ctx) => {
    if (spec.priorities !== undefined && spec.priorities.length !== spec.members) {
      ctx.addIssue({ code: 'custom', path: ['priorities'], message: `${spec.members} members need ${spec.members} priorities, got ${spec.priorities.length}` });
    }
    if (spec.priorities?.every((p) => p === 0)) {
      ctx.addIssue({ code: 'custom', path: ['priorities'], message: 'at least one member needs a priority above 0, or no member could become primary' });
    }
    if (typeof spec.writeConcern.w === 'number' && spec.writeConcern.w > spec.members + (spec.hidden ? 1 : 0)) {
      ctx.addIssue({ code: 'custom', path: ['writeConcern', 'w'], message: `w: ${spec.writeConcern.w} can never be satisfied by ${spec.members} data-bearing members` });
    }
    if (spec.readConcern === 'snapshot') {
      ctx.addIssue({ code: 'custom', path: ['readConcern'], message: 'snapshot is only for transactions (checkout uses it already); pick local, majority, available or linearizable' });
    }
  });

const ShardKey = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('hashed'), key: z.enum(['_id', 'customerId']) }),
  z.strictObject({ strategy: z.literal('range'), key: z.enum(['_id', 'customerId']) }),
]);
export type MongoShardKeySpec = z.output<typeof ShardKey>;

export const MongoSharded = z
  .strictObject({
    kind: z.literal('mongo-sharded'),
    shards: z.int().min(1).max(6).default(2).meta({ description: 'shard replica sets' }),
    membersPerShard: z.int().min(1).max(5).default(3).meta({ description: 'members of each shard replica set (odd)' }),
    configServers: z.int().min(1).max(5).default(1).meta({ description: 'members of the config server replica set (odd)' }),
    routers: z.int().min(1).max(4).default(1).meta({ description: 'mongos processes; client workers spread over them' }),
    collections: z
      .strictObject({ orders: ShardKey.default({ strategy: 'hashed', key: '_id' }) })
      .default({ orders: { strategy: 'hashed', key: '_id' } })
      .meta({ description: 'shard key per collection (seed 003: orders by order id or by customer id); others stay on the primary shard' }),
    zones: z
      .record(z.string().regex(/^[a-z0-9-]+$/), z.strictObject({ shard: z.int().min(1), regions: z.array(z.enum(['NA', 'EMEA', 'APJ', 'LATAM'])).min(1) }))
      .optional()
      .meta({
        description:
          'zone name → the shard (1-based) and the customer regions it holds: orders of those customers live on that shard (needs collections.orders.key: customerId, range)',
      }),
    balancer: z.boolean().default(true).meta({ description: 'let the balancer migrate chunks during the run' }),
    electionTimeout,
    ...clientSettings,
  })
  .superRefine((spec, ctx) => {
    if (spec.membersPerShard % 2 === 0) ctx.addIssue({ code: 'custom', path: ['membersPerShard'], message: 'use an odd number of members per shard' });
    if (spec.configServers % 2 === 0) ctx.addIssue({ code: 'custom', path: ['configServers'], message: 'use an odd number of config servers' });
    if (spec.zones === undefined) return;
    const orders = spec.collections.orders;
    if (orders.strategy !== 'range' || orders.key !== 'customerId') {
      ctx.addIssue({
        code: 'custom',
        path: ['zones'],
        message: 'zones by region need orders sharded by range on customerId (the key becomes { region, customerId })',
      });
    }
    const seen = new Map<string, string>();
    for (const [zone, { shard, regions }] of Object.entries(spec.zones)) {
      if (shard > spec.shards) ctx.addIssue({ code: 'custom', path: ['zones', zone, 'shard'], message: `there are only ${spec.shards} shards` });
      for (const region of regions) {
        const other = seen.get(region);
        if (other) ctx.addIssue({ code: 'custom', path: ['zones', zone, 'regions'], message: `${region} is already in zone ${other}` });
        seen.set(region, zone);
      }
    }
  });

export type MongoReplicaSetSpec = z.output<typeof MongoReplicaSet>;
export type MongoShardedSpec = z.output<typeof MongoSharded>;
export type MongoTopologySpec = MongoReplicaSetSpec | MongoShardedSpec;

/** Checks that only mean something against MongoDB (they read its client sessions' promises), with what they need. */
export const MONGO_CHECK_NAMES = ['session-guarantees'] as const;
export type MongoCheckName = (typeof MONGO_CHECK_NAMES)[number];
export const MONGO_CHECK_NEEDS: Readonly<Record<MongoCheckName, string>> = { 'session-guarantees': 'reads MongoDB client sessions' };

/** The MongoDB topology kinds (engines/mongo runs them). */
export const MONGO_TOPOLOGY_KINDS = ['mongo-replica-set', 'mongo-sharded'] as const;

/** Where servers run: local processes (default) or containers (Docker, through testcontainers). */
// No binDir: a scenario must never choose a program to run. Binaries come from the machine
// (FAULTLINE_PG_BINDIR / FAULTLINE_MONGO_BINDIR, pg_config, Debian's layout, PATH).
export const LocalProvider = z.strictObject({
  kind: z.literal('local'),
});
export const ContainersProvider = z.strictObject({
  kind: z.literal('containers'),
  image: z.string().optional().meta({
    description: "image name; default: for PostgreSQL faultline's own image built here (faultline images build), for MongoDB mongo",
  }),
  version: z.string().optional().meta({ description: 'image tag when image has none; default 8.0 for mongo, 15 for postgres' }),
  // A scenario never makes the machine contact a registry unless it says so.
  pull: z.enum(['never', 'missing', 'always']).optional().meta({
    description: 'when to pull the image from a registry: never (default: use the local image, exit 2 naming the command to get it), missing, always',
  }),
});

type Problem = [(string | number)[], string];

interface ScenarioShape {
  readonly topology: { readonly kind: string };
  readonly provider: { readonly kind: string };
  readonly regions?: unknown;
  readonly latency?: readonly unknown[];
}

/** What a MongoDB topology cannot take of the rest of the scenario (engine-rules.ts calls it for MongoDB kinds only). */
export function mongoScenarioProblems(scenario: ScenarioShape): Problem[] {
  const problems: Problem[] = [];
  if (scenario.regions !== undefined) {
    problems.push([['regions'], `${scenario.topology.kind} does not place nodes in regions yet; use zones (mongo-sharded) to place data by customer region`]);
  }
  // PostgreSQL topologies in containers put distances on proxy links (container-region-links.ts).
  if (scenario.provider.kind === 'containers' && (scenario.latency?.length ?? 0) > 0) {
    problems.push([['latency'], 'MongoDB topologies in containers cannot add latency between regions: use provider: { kind: local }']);
  }
  return problems;
}
