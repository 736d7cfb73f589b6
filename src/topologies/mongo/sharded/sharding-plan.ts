import { MaxKey, MinKey } from 'mongodb';
import type { MongoShardedSpec, MongoShardKeySpec } from '../../../harness/scenario/mongo-schema.ts';
import { MONGO_DATABASE } from '../mongo-node.ts';

// What a sharded cluster is made of and the commands (sent through mongos) that shard it, as
// data: names of every replica set and its members, shard keys, zones. Seed 003 shards orders by
// order id or by customer id; seed 000 puts EU customers on an EU shard (zones by region).

export const CONFIG_REPLICA_SET = 'cfg';
export const ORDERS_NAMESPACE = `${MONGO_DATABASE}.orders`;

export interface ShardedLayout {
  readonly config: { readonly replicaSet: string; readonly members: readonly string[] };
  readonly shards: readonly { readonly replicaSet: string; readonly members: readonly string[] }[];
  readonly routers: readonly string[];
}

export function shardedLayout(spec: Pick<MongoShardedSpec, 'shards' | 'membersPerShard' | 'configServers' | 'routers'>): ShardedLayout {
  const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  return {
    config: { replicaSet: CONFIG_REPLICA_SET, members: names('cfg', spec.configServers) },
    shards: Array.from({ length: spec.shards }, (_, s) => ({ replicaSet: `shard${s + 1}`, members: names(`shard${s + 1}-`, spec.membersPerShard) })),
    routers: names('mongos', spec.routers),
  };
}

/** The orders shard key: zones by region need the region first, so a zone is one key range. */
export function ordersShardKey(key: MongoShardKeySpec, zoned: boolean): Record<string, 1 | 'hashed'> {
  if (zoned) return { region: 1, customerId: 1 };
  return { [key.key]: key.strategy === 'hashed' ? 'hashed' : 1 };
}

export interface ZoneRange {
  readonly zone: string;
  readonly shard: string;
  readonly min: Record<string, unknown>;
  readonly max: Record<string, unknown>;
}

/** One key range per region of each zone: { region: R, customerId: MinKey } to { region: R, customerId: MaxKey }. */
export function zoneRanges(spec: Pick<MongoShardedSpec, 'zones'>): ZoneRange[] {
  return Object.entries(spec.zones ?? {}).flatMap(([zone, { shard, regions }]) =>
    [...regions].sort().map((region) => ({
      zone,
      shard: `shard${shard}`,
      min: { region, customerId: new MinKey() },
      max: { region, customerId: new MaxKey() },
    })),
  );
}

/** Commands for mongos, in order, once the config and shard replica sets are up. */
export function shardingCommands(spec: MongoShardedSpec, shardSeeds: ReadonlyMap<string, readonly string[]>): Record<string, unknown>[] {
  const zoned = spec.zones !== undefined;
  const ranges = zoneRanges(spec);
  return [
    ...[...shardSeeds].map(([replicaSet, hosts]) => ({ addShard: `${replicaSet}/${hosts.join(',')}`, name: replicaSet })),
    // Unsharded collections (catalogue, customers, inventory, carts) live on shard1.
    { enableSharding: MONGO_DATABASE, primaryShard: 'shard1' },
    ...[...new Set(ranges.map((r) => `${r.shard} ${r.zone}`))].map((pair) => {
      const [shard, zone] = pair.split(' ');
      return { addShardToZone: shard, zone };
    }),
    ...ranges.map((range) => ({ updateZoneKeyRange: ORDERS_NAMESPACE, min: range.min, max: range.max, zone: range.zone })),
    { shardCollection: ORDERS_NAMESPACE, key: ordersShardKey(spec.collections.orders, zoned) },
    ...(spec.balancer ? [] : [{ balancerStop: 1 }]),
  ];
}

/**
 * Which shard an order lives on when zones decide it (the balancer honours zones); undefined when
 * the key is hashed or ranged without zones, where chunk splits and the balancer decide.
 */
export function zoneShardOf(order: { readonly region: string }, spec: Pick<MongoShardedSpec, 'zones'>): string | undefined {
  return zoneRanges(spec).find((range) => range.min.region === order.region)?.shard;
}
