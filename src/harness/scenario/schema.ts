import { z } from 'zod';
import { boundedDuration } from '../units/duration-schema.ts';
import { LIMITS } from '../units/limits.ts';
import { CheckBounds } from './check-bounds-schema.ts';
import { AfterLastHeal } from './after-heal-schema.ts';
import { Fault, faultKindProblems } from '../fault/fault-catalog.ts';
import { ECOMMERCE_TABLES } from '../data-model/ecommerce-schema-pg.ts';
import { ContainersProvider, LocalProvider, MONGO_CHECK_NAMES, MongoReplicaSet, MongoSharded } from './mongo-schema.ts';
import { engineScenarioProblems } from './engine-rules.ts';
import { CUSTOMER_REGIONS, LatencyMatrix, latencyProblems, RegionName, Regions } from './region-schema.ts';
import { pgRegionalCentralSchema, REGIONAL_CHECK_NAMES, regionalCentralProblems } from './regional-central-schema.ts';
import { multiLeaderProblems, pgMultiLeaderSchema } from './multi-leader-schema.ts';
import { PATRONI_DEFAULTS, PatroniSettings, patroniProblems } from './patroni-schema.ts';
import { connectionProblems, PgSettings } from './server-settings.ts';
import { faultTargetProblems, syncCountProblems } from './fault-target-problems.ts';
import { partitionedLayoutProblems, ReferenceTables, ReplicasPerShard, VerticalTables } from './partitioned-schema.ts';

export { Duration, DURATION_HELP } from '../units/duration-schema.ts';
export { CONFLICT_RESOLUTIONS, type ConflictResolution } from './multi-leader-schema.ts';

// The scenario is plain data: this file is its single definition. The committed JSON Schema
// (scenarios/scenario.schema.json) is generated from it, so editors and the harness agree.
// Objects are strict because a typo in a key must be an error, never a silently ignored field.

export const OPERATION_NAMES = [
  'browse-category',
  'view-product',
  'add-to-cart',
  'checkout',
  'order-history',
  'rate-product',
  'recommendations',
  'expire-carts',
  'restock',
  // Last, so the operations above keep their canonical order and chart colours.
  'browse-price',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export const REGIONS = CUSTOMER_REGIONS;
export type Region = (typeof REGIONS)[number];

export const KeyDistributionName = z.enum(['uniform', 'zipfian', 'hotspot']);
export const ReadTarget = z.enum(['primary', 'replicas']);

const Operation = z.strictObject({
  weight: z.number().nonnegative(),
  keys: KeyDistributionName.optional().meta({ description: 'how the key (product, customer or category) is chosen' }),
  readFrom: ReadTarget.optional().meta({ description: 'where reads of this operation go; writes always go to the primary' }),
  protocol: z.enum(['prepared', 'simple']).optional().meta({
    description:
      'PostgreSQL: prepared (a named statement, parsed and planned once per connection; pgbench -M prepared) or simple (values written into the text, ' +
      "one message, parsed every time; pgbench's default). Omitted: the operation's measured default (prepared for every operation today). MongoDB ignores it",
  }),
});

const Operations = z
  .strictObject(
    Object.fromEntries(OPERATION_NAMES.map((name) => [name, Operation.optional()])) as Record<
      OperationName,
      z.ZodOptional<typeof Operation>
    >,
  )
  // Caught here rather than when the workload starts, after servers were already provisioned.
  .refine((ops) => Object.values(ops).some((op) => op !== undefined && op.weight > 0), {
    message: 'at least one operation needs a weight above 0 (or leave operations out for the default mix)',
  });

const ClosedLoop = z.strictObject({
  kind: z.literal('closed'),
  concurrency: z.int().positive().max(LIMITS.concurrency).default(8).meta({ description: 'client workers, each with its own connection' }),
});
const OpenLoop = z.strictObject({
  kind: z.literal('open'),
  rate: z.number().positive().max(LIMITS.rate).meta({ description: 'target operations per second (intended start times follow it)' }),
  arrivals: z.enum(['regular', 'poisson']).default('poisson'),
  connections: z.int().positive().max(LIMITS.connections).default(16),
  // As k6's arrival-rate executors and wrk2: the schedule never waits for the servers, so what
  // cannot start in time is dropped and counted (results.json load.dropped), never queued without
  // limit; a run that can only drain a queue would report the queue's length, not the rate.
  maxQueueDelay: boundedDuration(LIMITS.timeoutMs).default(1_000).meta({
    description: 'an operation that found no free connection within this long of its intended start is dropped (counted in load.dropped, never run)',
  }),
  grace: boundedDuration(LIMITS.timeoutMs).default(30_000).meta({
    description: 'after the run phase ends no operation starts; those in flight may finish for this long, then their connections are closed (k6 gracefulStop)',
  }),
});

const Dataset = z.strictObject({
  customers: z.int().positive().max(LIMITS.customers).default(1000),
  products: z.int().positive().max(LIMITS.products).default(200),
  categories: z.int().positive().max(LIMITS.categories).default(12),
  regions: z.array(z.enum(REGIONS)).min(1).default([...REGIONS]),
  initialStock: z.int().nonnegative().max(LIMITS.initialStock).default(1000).meta({ description: 'units of each product in each warehouse' }),
  ratingsPerCustomer: z.number().nonnegative().max(LIMITS.ratingsPerCustomer).default(3),
  ordersPerCustomer: z.number().nonnegative().max(LIMITS.ordersPerCustomer).default(1),
});

const KeyDistributions = z.strictObject({
  zipfianTheta: z.number().positive().lt(1).default(0.99),
  hotspotKeys: z.number().gt(0).lt(1).default(0.2).meta({ description: 'fraction of keys that are hot' }),
  hotspotOps: z.number().gt(0).lt(1).default(0.8).meta({ description: 'fraction of operations that hit hot keys' }),
});

export const Workload = z.strictObject({
  kind: z.literal('ecommerce').default('ecommerce'),
  dataset: Dataset.default(Dataset.parse({})),
  duration: boundedDuration(LIMITS.durationMs, 1).default(20_000),
  warmup: boundedDuration(LIMITS.warmupMs).default(2_000),
  loop: z.discriminatedUnion('kind', [ClosedLoop, OpenLoop]).default({ kind: 'closed', concurrency: 8 }),
  threads: z.int().positive().max(LIMITS.threads).default(1).meta({
    description:
      'load threads: worker (connection) w runs in thread w mod threads. A closed loop gives each worker the same seeded operations whatever the count; an open loop gives each thread its connections\' share of the rate on its own seeded schedule (the same operations for the same count). 1 runs the load on the main thread; use 2 or more when the driver, not the database, is the limit (the database on other machines, or a fast one here)',
  }),
  operations: Operations.optional().meta({ description: 'operation mix; omitted means the default e-commerce mix' }),
  keyDistributions: KeyDistributions.default(KeyDistributions.parse({})),
  cartExpiry: boundedDuration(LIMITS.cartExpiryMs).default(600_000).meta({ description: 'carts idle longer than this are removed by expire-carts' }),
  timeouts: z
    .strictObject({ connect: boundedDuration(LIMITS.timeoutMs, 1).default(5_000), statement: boundedDuration(LIMITS.timeoutMs, 1).default(5_000) })
    .default({ connect: 5_000, statement: 5_000 }),
  progressEvery: boundedDuration(LIMITS.progressMaxMs, LIMITS.progressMinMs).default(1_000),
  afterLastHeal: AfterLastHeal,
});


export const PgSingleLeader = z.strictObject({
  kind: z.literal('pg-single-leader'),
  replicas: z.int().min(0).max(8).default(2),
  replication: z.enum(['async', 'sync', 'remote_apply', 'quorum']).default('async'),
  syncCount: z.int().positive().default(1).meta({ description: 'standbys that must confirm: FIRST k for sync/remote_apply, ANY k for quorum' }),
  regions: z.array(RegionName).optional().meta({
    description: 'region of each node, the primary first, then each replica (needs top-level regions)',
  }),
  settings: PgSettings,
  failover: z
    .strictObject({
      mode: z.enum(['none', 'manual', 'automatic', 'patroni']).default('none').meta({
        description:
          "none: a lost primary stays lost; manual: a failover step in faults; automatic: the harness promotes after detectAfter; " +
          'patroni: Patroni with a 3-member etcd cluster (one member beside each node) manages the nodes and fails over by itself (local processes, or one container per node holding its etcd member, Patroni and PostgreSQL)',
      }),
      detectAfter: boundedDuration(LIMITS.detectAfterMs, 1).default(2_000).meta({ description: 'automatic: how long the primary must be unreachable' }),
      patroni: PatroniSettings.default(PATRONI_DEFAULTS).meta({ description: "mode patroni: Patroni's timing and promotion settings" }),
    })
    .default({ mode: 'none', detectAfter: 2_000, patroni: PATRONI_DEFAULTS }),
});

// Tables that must stay on the coordinator, and why. ON CONFLICT with a target: postgres_fdw
// cannot run it on a foreign partition, and a parent of foreign partitions can have no unique
// index to conflict on anyway. inventory: checkout's multi-row locking deadlocks across shards.
export const UNPARTITIONABLE_TABLES: Readonly<Record<string, string>> = {
  carts: 'add-to-cart writes it with INSERT ... ON CONFLICT (customer_id), which postgres_fdw cannot run on a foreign partition',
  cart_items: 'add-to-cart writes it with INSERT ... ON CONFLICT (customer_id, product_id), which postgres_fdw cannot run on a foreign partition',
  ratings: 'rate-product writes it with INSERT ... ON CONFLICT (customer_id, product_id), which postgres_fdw cannot run on a foreign partition',
  // Measured: with inventory hashed over 3 shards, checkouts hung until the statement timeout.
  inventory:
    'checkout locks several inventory rows (SELECT ... FOR UPDATE) in one transaction; across shards no server sees the whole ' +
    'wait-for graph, so two checkouts deadlock undetected until the statement timeout, and postgres_fdw runs remote ' +
    'transactions at REPEATABLE READ, so concurrent restocks fail with serialization errors',
};

const BoundValue = z.union([z.number(), z.string()]);
const ColumnName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column name');
const PartitionedTable = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('hash'), key: ColumnName }),
  z.strictObject({
    strategy: z.literal('range'),
    key: ColumnName,
    bounds: z.array(BoundValue).min(1).meta({
      description: 'shards - 1 ascending split points: shard 1 gets [MINVALUE, b1), shard 2 [b1, b2), ..., the last [b(K-1), MAXVALUE)',
    }),
  }),
  z.strictObject({
    strategy: z.literal('list'),
    key: ColumnName,
    lists: z.array(z.array(BoundValue).min(1)).min(1).meta({ description: 'one list of key values per shard, in shard order' }),
  }),
]);
export type PartitionedTableSpec = z.output<typeof PartitionedTable>;

export const PgPartitioned = z
  .strictObject({
    kind: z.literal('pg-partitioned'),
    shards: z.int().min(2).max(8).default(3),
    tables: z
      .partialRecord(z.enum(ECOMMERCE_TABLES), PartitionedTable)
      .default({})
      .meta({ description: 'table → how it is split across shards; tables not named stay on the coordinator' }),
    replicasPerShard: ReplicasPerShard,
    reference: ReferenceTables,
    vertical: VerticalTables,
    batchSize: z.int().positive().max(10_000).default(100).meta({ description: 'postgres_fdw batch_size: rows per remote INSERT' }),
    distributedCommit: z.enum(['plain', '2pc']).default('plain').meta({
      description:
        "how a checkout whose rows span several nodes commits. plain: one transaction through the coordinator's postgres_fdw " +
        '(no two-phase commit: not atomic if something fails during commit); 2pc: the harness coordinates PREPARE TRANSACTION / ' +
        'COMMIT PREPARED on every node, logs its decision on the coordinator, and recovers in-doubt transactions',
    }),
    settings: PgSettings,
  })
  .superRefine((spec, ctx) => {
    if (spec.distributedCommit === '2pc' && Number(spec.settings.max_prepared_transactions ?? 1) <= 0) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'max_prepared_transactions'], message: 'distributedCommit: 2pc prepares transactions on every node: max_prepared_transactions must be above 0 (leave it out for the default)' });
    }
    for (const [table, how] of Object.entries(spec.tables)) {
      const path = ['tables', table];
      const blocker = UNPARTITIONABLE_TABLES[table];
      if (blocker) ctx.addIssue({ code: 'custom', path, message: `${table} cannot be partitioned: ${blocker}` });
      if (how?.strategy === 'range' && how.bounds.length !== spec.shards - 1) {
        ctx.addIssue({ code: 'custom', path: [...path, 'bounds'], message: `${table}: ${spec.shards} shards need ${spec.shards - 1} range bounds, got ${how.bounds.length}` });
      }
      if (how?.strategy === 'list' && how.lists.length !== spec.shards) {
        ctx.addIssue({ code: 'custom', path: [...path, 'lists'], message: `${table}: ${spec.shards} shards need ${spec.shards} value lists, got ${how.lists.length}` });
      }
    }
    for (const [path, message] of partitionedLayoutProblems(spec, UNPARTITIONABLE_TABLES)) ctx.addIssue({ code: 'custom', path, message });
  });

export const PgMultiLeader = pgMultiLeaderSchema(PgSettings);

export const PgRegionalCentral = pgRegionalCentralSchema(PgSettings);

export const Topology = z.discriminatedUnion('kind', [PgSingleLeader, PgPartitioned, PgMultiLeader, MongoReplicaSet, MongoSharded, PgRegionalCentral]);

export const Provider = z.discriminatedUnion('kind', [LocalProvider, ContainersProvider]).default({ kind: 'local' });

export const CHECK_NAMES = [
  'lost-writes',
  'availability',
  'replication-lag',
  'read-your-writes',
  'monotonic-reads',
  'convergence',
  'invariants',
  'atomicity',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export const Report = z
  .strictObject({
    formats: z.array(z.enum(['json', 'md', 'html'])).min(1).default(['json', 'md', 'html']),
  })
  .default({ formats: ['json', 'md', 'html'] });

/** More variants than this would keep two cores busy for hours; narrowing the matrix is cheaper. */
export const MAX_MATRIX_VARIANTS = 24;

// `faultline run` expands a matrix into the cross product of its values, one run per variant, all
// with the same seed, then writes a comparison. Keys are field paths as --set spells them.
export const Matrix = z
  .record(
    z.string().min(1),
    z.array(z.unknown()).min(1, 'a matrix dimension needs at least one value, e.g. [async, sync]').meta({
      description: 'the values this field takes, one variant per value',
    }),
  )
  .superRefine((matrix, ctx) => {
    const sizes = Object.values(matrix).map((values) => values.length);
    if (sizes.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'an empty matrix varies nothing: give field paths with their values, or remove it' });
    }
    const variants = sizes.reduce((product, size) => product * size, 1);
    if (variants > MAX_MATRIX_VARIANTS) {
      ctx.addIssue({
        code: 'custom',
        message:
          `${variants} variants (${sizes.join(' × ')}); at most ${MAX_MATRIX_VARIANTS} run in one matrix: narrow it, ` +
          `e.g. --set 'matrix["<path>"]=[a, b]', or split it into several scenarios`,
      });
    }
  })
  .meta({
    description: 'field path (as for --set, e.g. topology.replication) → list of values; runs every combination and compares them',
  });

export const Scenario = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-" (it names the report folder)'),
    description: z.string().min(1),
    seed: z.int().nonnegative().default(1),
    provider: Provider,
    topology: Topology,
    workload: Workload.default(Workload.parse({})),
    faults: z.array(Fault).default([]),
    checks: z.array(z.enum([...CHECK_NAMES, ...MONGO_CHECK_NAMES, ...REGIONAL_CHECK_NAMES])).default([...CHECK_NAMES]),
    bounds: CheckBounds,
    report: Report,
    matrix: Matrix.optional(),
    regions: Regions.optional(),
    latency: LatencyMatrix.default([]),
  })
  .superRefine((scenario, ctx) => {
    for (const [path, message] of latencyProblems(scenario.regions, scenario.latency)) {
      ctx.addIssue({ code: 'custom', path: ['latency', ...path], message });
    }
    for (const [path, message] of topologyRegionProblems(scenario)) ctx.addIssue({ code: 'custom', path: ['topology', ...path], message });
    for (const [path, message] of engineScenarioProblems(scenario)) ctx.addIssue({ code: 'custom', path, message });
    for (const [path, message] of regionalCentralProblems(scenario)) ctx.addIssue({ code: 'custom', path, message });
    for (const [path, message] of multiLeaderProblems(scenario)) ctx.addIssue({ code: 'custom', path, message });
    for (const [path, message] of faultTargetProblems(scenario)) ctx.addIssue({ code: 'custom', path, message });
    for (const [path, message] of syncCountProblems(scenario.topology)) ctx.addIssue({ code: 'custom', path, message });
    for (const [path, message] of patroniProblems(scenario)) ctx.addIssue({ code: 'custom', path, message });
    for (const [path, message] of connectionProblems(scenario)) ctx.addIssue({ code: 'custom', path, message });
    for (const [path, message] of threadProblems(scenario.workload)) ctx.addIssue({ code: 'custom', path: ['workload', ...path], message });
    scenario.faults.forEach((fault, i) => {
      for (const { path, message } of faultKindProblems(fault, scenario)) ctx.addIssue({ code: 'custom', path: ['faults', i, ...path], message });
    });
    if (scenario.topology.kind !== 'pg-partitioned') return;
    // With shard replicas or reference copies, both compare each copy with its own source only.
    if (scenario.topology.replicasPerShard > 0 || scenario.topology.reference.length > 0) return;
    for (const check of ['convergence', 'replication-lag'] as const) {
      if (!scenario.checks.includes(check)) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['checks'],
        message: `${check} compares replicas with their primary; pg-partitioned shards hold different rows by design: list the checks without it, or give the shards copies to compare with their source (replicasPerShard, reference)`,
      });
    }
  })
  .meta({ title: 'faultline scenario' });

/** Load threads split a loop's workers (closed) or connections (open): each thread needs one. */
function threadProblems(workload: z.output<typeof Workload>): [(string | number)[], string][] {
  if (workload.threads === 1) return [];
  const [count, field, what] =
    workload.loop.kind === 'closed' ? [workload.loop.concurrency, 'concurrency', 'workers'] : [workload.loop.connections, 'connections', 'connections'];
  if (workload.threads > count) {
    return [[['threads'], `${workload.threads} threads for ${count} ${what} would leave threads idle: at most workload.loop.${field} (${count})`]];
  }
  return [];
}

/** Node regions a topology names must be declared under regions. */
function topologyRegionProblems(scenario: { regions?: Record<string, unknown> | undefined; topology: z.output<typeof Topology> }): [(string | number)[], string][] {
  const spec = scenario.topology;
  if (spec.kind !== 'pg-single-leader' || spec.regions === undefined) return [];
  const declared = Object.keys(scenario.regions ?? {});
  const problems: [(string | number)[], string][] = [];
  if (spec.regions.length !== spec.replicas + 1) {
    problems.push([['regions'], `${spec.replicas + 1} nodes (the primary and ${spec.replicas} replicas) need ${spec.replicas + 1} regions, got ${spec.regions.length}`]);
  }
  spec.regions.forEach((region, i) => {
    if (!declared.includes(region)) {
      problems.push([['regions', i], `unknown region ${region} (${declared.length > 0 ? `declared: ${declared.join(', ')}` : 'declare it under regions'})`]);
    }
  });
  return problems;
}

export type Scenario = z.output<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
export type WorkloadSpec = Scenario['workload'];
export type TopologySpec = Scenario['topology'];
export type LoopSpec = WorkloadSpec['loop'];
export type OperationSpec = z.output<typeof Operation>;
export type DatasetSpec = WorkloadSpec['dataset'];
