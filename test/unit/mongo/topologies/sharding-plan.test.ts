import { MaxKey, MinKey } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../src/harness/scenario/parse-scenario.ts';
import type { MongoShardedSpec } from '../../../../src/harness/scenario/mongo-schema.ts';
import { ordersShardKey, shardedLayout, shardingCommands, zoneRanges, zoneShardOf } from '../../../../src/topologies/mongo/sharded/sharding-plan.ts';

function sharded(topology: string): MongoShardedSpec {
  const spec = parseScenario(`name: t\ndescription: d\ntopology: ${topology}\n`, 't.yaml').topology;
  if (spec.kind !== 'mongo-sharded') throw new Error('not sharded');
  return spec;
}

const seeds = new Map([
  ['shard1', ['127.0.0.1:1', '127.0.0.1:2']],
  ['shard2', ['127.0.0.1:3', '127.0.0.1:4']],
]);

describe('sharded cluster plan', () => {
  it('names config servers, shard members and routers by what they are', () => {
    expect(shardedLayout({ shards: 2, membersPerShard: 3, configServers: 1, routers: 2 })).toEqual({
      config: { replicaSet: 'cfg', members: ['cfg1'] },
      shards: [
        { replicaSet: 'shard1', members: ['shard1-1', 'shard1-2', 'shard1-3'] },
        { replicaSet: 'shard2', members: ['shard2-1', 'shard2-2', 'shard2-3'] },
      ],
      routers: ['mongos1', 'mongos2'],
    });
  });

  it('shards orders by hashed order id by default (seed 003), everything else on shard1', () => {
    const commands = shardingCommands(sharded('{ kind: mongo-sharded }'), seeds);
    expect(commands).toEqual([
      { addShard: 'shard1/127.0.0.1:1,127.0.0.1:2', name: 'shard1' },
      { addShard: 'shard2/127.0.0.1:3,127.0.0.1:4', name: 'shard2' },
      { enableSharding: 'faultline', primaryShard: 'shard1' },
      { shardCollection: 'faultline.orders', key: { _id: 'hashed' } },
    ]);
  });

  it('shards by customer id, ranged or hashed, and stops the balancer when asked', () => {
    expect(ordersShardKey({ strategy: 'range', key: 'customerId' }, false)).toEqual({ customerId: 1 });
    expect(ordersShardKey({ strategy: 'hashed', key: 'customerId' }, false)).toEqual({ customerId: 'hashed' });
    const commands = shardingCommands(sharded('{ kind: mongo-sharded, balancer: false, collections: { orders: { strategy: range, key: customerId } } }'), seeds);
    expect(commands.at(-2)).toEqual({ shardCollection: 'faultline.orders', key: { customerId: 1 } });
    expect(commands.at(-1)).toEqual({ balancerStop: 1 });
  });

  it('puts EU customers on the EU shard: a zone per region range, before the collection is sharded', () => {
    const spec = sharded(
      '{ kind: mongo-sharded, collections: { orders: { strategy: range, key: customerId } }, zones: { eu: { shard: 2, regions: [EMEA] }, world: { shard: 1, regions: [NA, LATAM] } } }',
    );
    const commands = shardingCommands(spec, seeds);
    const names = commands.map((c) => Object.keys(c)[0]);
    expect(names).toEqual(['addShard', 'addShard', 'enableSharding', 'addShardToZone', 'addShardToZone', 'updateZoneKeyRange', 'updateZoneKeyRange', 'updateZoneKeyRange', 'shardCollection']);
    expect(commands).toContainEqual({ addShardToZone: 'shard2', zone: 'eu' });
    expect(commands).toContainEqual({ updateZoneKeyRange: 'faultline.orders', min: { region: 'EMEA', customerId: new MinKey() }, max: { region: 'EMEA', customerId: new MaxKey() }, zone: 'eu' });
    expect(commands.at(-1)).toEqual({ shardCollection: 'faultline.orders', key: { region: 1, customerId: 1 } });
    expect(zoneRanges(spec).map((r) => `${r.zone}:${r.min.region}->${r.shard}`)).toEqual(['eu:EMEA->shard2', 'world:LATAM->shard1', 'world:NA->shard1']);
  });

  it('routes an order to its zone’s shard by the customer’s region; without zones the balancer decides', () => {
    const spec = sharded('{ kind: mongo-sharded, collections: { orders: { strategy: range, key: customerId } }, zones: { eu: { shard: 2, regions: [EMEA] }, world: { shard: 1, regions: [NA, APJ, LATAM] } } }');
    expect(zoneShardOf({ region: 'EMEA' }, spec)).toBe('shard2');
    expect(zoneShardOf({ region: 'APJ' }, spec)).toBe('shard1');
    expect(zoneShardOf({ region: 'EMEA' }, sharded('{ kind: mongo-sharded }'))).toBeUndefined();
  });
});
