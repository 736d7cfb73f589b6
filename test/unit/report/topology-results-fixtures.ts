import type { RunResults, ShardLoad, ShardSkew } from '../../../src/harness/results/results-types.ts';
import type { MultiLeaderResults } from '../../../src/harness/results/multi-leader-results.ts';
import type { DistributedCommitResults } from '../../../src/harness/results/distributed-commit-results.ts';
import type { PartitionedLayoutResults } from '../../../src/harness/results/partitioned-layout-results.ts';
import type { RegionalCentralResults } from '../../../src/topologies/postgres/regional/regional-results.ts';
import { completedRun } from './fixtures.ts';

// What pg-multi-leader, pg-regional-central, pg-partitioned and a distributed commit add to results.json, crafted
// so that each figure is recognisable in a report. Names come from scenario files and databases:
// `hostile` puts markup, quotes and ampersands in every one of them.

export const HOSTILE = `<script>alert("x")</script> & 'q'`;

const counts = (total: number, kinds: [number, number, number, number], resolutions: Record<string, number>, relations: Record<string, number> = {}) => ({
  total,
  byKind: { insert_insert: kinds[0], update_update: kinds[1], update_delete: kinds[2], delete_delete: kinds[3] },
  byRelation: relations,
  byResolution: resolutions,
});

export function multiLeader(name = (s: string) => s): MultiLeaderResults {
  return {
    conflictResolution: 'apply_remote',
    leaders: [name('us-east'), 'eu-west'],
    conflicts: {
      ...counts(1234, [4, 1225, 3, 2], { apply_remote: 1230, skip: 4 }, { [name('stock')]: 1200, order_items: 34 }),
      byNode: {
        [name('us-east')]: counts(1000, [3, 995, 2, 0], { apply_remote: 998, skip: 2 }),
        'eu-west': counts(234, [1, 230, 1, 2], { apply_remote: 232, skip: 2 }),
      },
      examples: [],
    },
    lagMs: {
      [name('us-east->eu-west')]: { samples: 4321, p50: 41.5, p99: 812.25, max: 3456.7 },
      'eu-west->us-east': { samples: 4320, p50: 40.25, p99: 90, max: 120 },
    },
    catchUpMs: 812.5,
    convergenceMs: null,
    divergence: {
      rows: 7,
      tables: {
        [name('stock')]: { missing: 0, different: 5, keys: [name('17'), '23'] },
        orders: { missing: 2, different: 0, keys: ['9001'] },
        order_items: { missing: 0, different: 0, keys: [], tooLarge: true },
      },
      unreadable: { [name('eu-west')]: name('connection refused') },
    },
  };
}

export function regionalCentral(name = (s: string) => s): RegionalCentralResults {
  return {
    central: { node: name('central'), region: 'central' },
    publishedTables: [name('orders'), 'order_items', 'payments'],
    regions: [
      { region: name('seattle'), node: name('seattle'), replicas: ['seattle-replica1'], customerRegions: ['NA', 'LATAM'], customers: 2750 },
      { region: 'boston', node: 'boston', replicas: [], customerRegions: ['EMEA'], customers: 318 },
    ],
    freshnessMs: { [name('seattle')]: { samples: 1200, p50: 0, p99: 3877.7, max: 3979.7 }, boston: null },
    freshnessSeries: [
      { time: -1, region: name('seattle'), maxMs: 4 },
      { time: 0, region: name('seattle'), maxMs: 12.5 },
      { time: 1, region: name('seattle'), maxMs: 980 },
      { time: 1, region: 'boston', maxMs: 3 },
    ],
    replicaStalenessMs: { 'seattle-replica1': { samples: 120, p50: 0.5, p99: 4, max: 9 } },
    completeness: { acknowledged: 1010, onCentral: 1008, missingCentral: 2, duplicated: 0, incomplete: 0, extra: 0, missingRegional: 0, indeterminate: 3, indeterminateOnCentral: 1 },
    analytics: {
      salesByRegion: [
        { customerRegion: 'NA', region: name('seattle'), orders: 3000, runOrders: 1010, revenue: 123456.5 },
        { customerRegion: 'APJ', region: null, orders: 12, runOrders: 0, revenue: 99 },
      ],
      topProducts: [{ productId: 7, name: name('Steel | Pants'), units: 12, revenue: 99.5 }],
      queryMs: { salesByRegion: 2.5, topProducts: 3.25 },
    },
  };
}

export function distributedCommit(name = (s: string) => s): DistributedCommitResults {
  return {
    mode: '2pc',
    inDoubt: 7,
    committed: 6,
    rolledBack: 1,
    unresolved: 0,
    recoveryPasses: 4,
    transactions: { started: 3763, committed: 3746, aborted: 17, undecided: 0, leftInDoubt: 8 },
    commitPointKills: [
      { target: name('shard1'), orderId: 1964, participants: ['coordinator', 'shard3', name('shard1')] },
      { target: 'shard2', orderId: 4494, participants: ['coordinator', 'shard2'], stalled: 'shard2', committedBeforeKill: [] },
    ],
  };
}

export function shards(name = (s: string) => s): { shards: ShardLoad[]; skew: ShardSkew } {
  return {
    shards: [
      { name: name('shard1'), rows: 1200, bytes: 245_760, reads: 300, inserts: 10, updates: 0 },
      { name: 'shard2', rows: 3600, bytes: 1_048_576, reads: 100, inserts: 30, updates: 0 },
    ],
    skew: { reads: 1.5, inserts: 1.5, updates: null },
  };
}

/** A completed run on shards, with the fan-out of two operations measured. */
export function shardedRun(name = (s: string) => s): RunResults {
  const run = completedRun();
  const { checkout, 'view-product': view } = run.operations;
  return { ...run, ...shards(name), operations: { ...run.operations, checkout: { ...checkout!, fanout: 2 }, 'view-product': { ...view!, fanout: 1 } } };
}

export function partitionedLayout(name = (s: string) => s): PartitionedLayoutResults {
  return {
    shardReplicas: [
      { shard: name('shard1'), replicas: [name('shard1-r1'), 'shard1-r2'] },
      { shard: 'shard2', replicas: ['shard2-r1'] },
    ],
    stalenessMs: { [name('coordinator->shard1')]: { samples: 80, p50: 0, p99: 1.5, max: 2 }, 'shard1-r1': { samples: 60, p50: 0.25, p99: 900, max: 2240 }, 'shard2-r1': null },
    reference: {
      tables: [name('products'), 'categories'],
      coordinatorRows: { products: 300, categories: 12 },
      copies: [
        { node: name('shard1'), table: name('products'), rows: 300, sourceRows: 300, current: true },
        { node: 'shard1-r1', table: 'categories', rows: 11, sourceRows: 12, current: false },
      ],
      currentCopies: 1,
      staleCopies: 1,
      localJoin: { query: name('sales by category'), coordinatorRowsMoved: 4650, shardLocalRowsMoved: 36, coordinatorMs: 7.7, shardLocalMs: 1.5, categories: 12, sameAnswer: false },
    },
    vertical: [
      {
        table: name('shipments'),
        key: [name('order_id')],
        groups: [
          { node: 'shard1', columns: [name('order_id'), 'carrier'], rows: 10, orphans: 0 },
          { node: name('shard2'), columns: ['order_id', 'address'], rows: 11, orphans: 1 },
        ],
        viewRows: 10,
      },
    ],
    errors: [name('shard3: connection refused')],
  };
}

export const hostile = (s: string) => `${s}${HOSTILE}`;

/** A completed run with all of them, names plain or hostile. */
export function topologyRun(name = (s: string) => s): RunResults {
  return {
    ...shardedRun(name),
    partitionedLayout: partitionedLayout(name),
    multiLeader: multiLeader(name),
    regionalCentral: regionalCentral(name),
    distributedCommit: distributedCommit(name),
  };
}
