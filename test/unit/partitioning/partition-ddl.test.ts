import { describe, expect, it } from 'vitest';
import {
  foreignPartitionsDdl,
  foreignServerDdl,
  parentTableDdl,
  partitionBound,
  shardTableDdl,
  userMappingDdl,
  type TableShape,
} from '../../../src/topologies/postgres/partitioned/partition-ddl.ts';

// The DDL that moves a coordinator table to the shards, from a shape as the catalog returns it.

const products: TableShape = {
  table: 'products',
  columns: [
    { name: 'id', type: 'bigint', notNull: true, default: null },
    { name: 'price', type: 'numeric(10,2)', notNull: true, default: null },
    { name: 'created_at', type: 'timestamp with time zone', notNull: true, default: 'now()' },
  ],
  keys: [{ name: 'products_pkey', def: 'PRIMARY KEY (id)' }],
  checks: [{ name: 'products_price_check', def: 'CHECK (((price >= (10)::numeric) AND (price <= (500)::numeric)))' }],
  indexes: ['CREATE INDEX products_category_price ON public.products USING btree (price, id)'],
  reloptions: ['fillfactor=70'],
};

describe('shard table DDL', () => {
  it('keeps every column, key, check, index and storage option', () => {
    const ddl = shardTableDdl(products);
    expect(ddl).toContain('CREATE TABLE "products" (');
    expect(ddl).toContain('"price" numeric(10,2) NOT NULL');
    expect(ddl).toContain('"created_at" timestamp with time zone NOT NULL DEFAULT now()');
    expect(ddl).toContain('CONSTRAINT "products_pkey" PRIMARY KEY (id)');
    expect(ddl).toContain('CONSTRAINT "products_price_check" CHECK');
    expect(ddl).toContain(') WITH (fillfactor=70)');
    expect(ddl).toContain(';\nCREATE INDEX products_category_price ON public.products');
  });
});

describe('coordinator parent DDL', () => {
  it('has no primary key or index (impossible over foreign partitions) but keeps checks and defaults', () => {
    const ddl = parentTableDdl(products, { strategy: 'hash', key: 'id' });
    expect(ddl).not.toMatch(/PRIMARY KEY|UNIQUE|CREATE INDEX|fillfactor/);
    expect(ddl).toContain('DEFAULT now()');
    expect(ddl).toContain('products_price_check');
    expect(ddl.endsWith(') PARTITION BY HASH ("id")')).toBe(true);
  });

  it('names the strategy', () => {
    expect(parentTableDdl(products, { strategy: 'range', key: 'price', bounds: [100] })).toMatch(/PARTITION BY RANGE \("price"\)$/);
    expect(parentTableDdl(products, { strategy: 'list', key: 'id', lists: [[1], [2]] })).toMatch(/PARTITION BY LIST \("id"\)$/);
  });
});

describe('partition bounds', () => {
  it('hash: modulus K, remainder i', () => {
    expect([0, 1, 2].map((i) => partitionBound({ strategy: 'hash', key: 'id' }, i, 3))).toEqual([
      'FOR VALUES WITH (MODULUS 3, REMAINDER 0)',
      'FOR VALUES WITH (MODULUS 3, REMAINDER 1)',
      'FOR VALUES WITH (MODULUS 3, REMAINDER 2)',
    ]);
  });

  it('range: MINVALUE to MAXVALUE through the split points, so every key has a partition', () => {
    const spec = { strategy: 'range' as const, key: 'price', bounds: [100.01, 250.01] };
    expect([0, 1, 2].map((i) => partitionBound(spec, i, 3))).toEqual([
      'FOR VALUES FROM (MINVALUE) TO (100.01)',
      'FOR VALUES FROM (100.01) TO (250.01)',
      'FOR VALUES FROM (250.01) TO (MAXVALUE)',
    ]);
    expect(partitionBound({ strategy: 'range', key: 'created_at', bounds: ["2024-01-01 O'Clock"] }, 1, 2)).toBe(
      "FOR VALUES FROM ('2024-01-01 O''Clock') TO (MAXVALUE)",
    );
  });

  it('list: one quoted value list per shard', () => {
    const spec = { strategy: 'list' as const, key: 'region', lists: [['NA'], ['EMEA'], ['APJ', 'LATAM']] };
    expect(partitionBound(spec, 2, 3)).toBe("FOR VALUES IN ('APJ', 'LATAM')");
  });
});

describe('foreign partitions and servers', () => {
  it('one foreign partition per shard, naming the shard table of the same name', () => {
    const ddl = foreignPartitionsDdl('orders', { strategy: 'hash', key: 'id' }, ['shard1', 'shard2']);
    expect(ddl).toEqual([
      `CREATE FOREIGN TABLE "orders_shard1" PARTITION OF "orders" FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER "shard1" OPTIONS (schema_name 'public', table_name 'orders')`,
      `CREATE FOREIGN TABLE "orders_shard2" PARTITION OF "orders" FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER "shard2" OPTIONS (schema_name 'public', table_name 'orders')`,
    ]);
  });

  it('servers are async-capable and batch inserts; the user mapping quotes the password', () => {
    expect(foreignServerDdl({ name: 'shard1', port: 15001, database: 'faultline' }, 100)).toBe(
      `CREATE SERVER "shard1" FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '15001', dbname 'faultline', async_capable 'true', batch_size '100')`,
    );
    expect(userMappingDdl('shard1', 'faultline', "p'w")).toBe(
      `CREATE USER MAPPING FOR PUBLIC SERVER "shard1" OPTIONS (user 'faultline', password 'p''w')`,
    );
  });
});
