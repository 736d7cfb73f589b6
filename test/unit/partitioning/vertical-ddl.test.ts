import { describe, expect, it } from 'vitest';
import type { TableShape } from '../../../src/topologies/postgres/partitioned/partition-ddl.ts';
import {
  groupForeignTableDdl,
  groupShape,
  primaryKeyOf,
  verticalLayout,
  verticalTriggerDdl,
  verticalViewDdl,
} from '../../../src/topologies/postgres/partitioned/vertical-ddl.ts';

// Seed 001's vertical split of shipments, as DDL: each group's table on its shard, the
// coordinator's foreign tables, the view that joins them and the trigger that routes writes.

const SHIPMENTS: TableShape = {
  table: 'shipments',
  columns: [
    { name: 'order_id', type: 'bigint', notNull: true, default: null },
    { name: 'carrier', type: 'text', notNull: true, default: null },
    { name: 'address', type: 'text', notNull: true, default: null },
    { name: 'status', type: 'text', notNull: true, default: null },
    { name: 'created_at', type: 'timestamp with time zone', notNull: true, default: 'now()' },
  ],
  keys: [{ name: 'shipments_pkey', def: 'PRIMARY KEY (order_id)' }],
  checks: [{ name: 'shipments_status_check', def: "CHECK ((status <> ''::text))" }],
  indexes: ['CREATE INDEX shipments_address ON public.shipments USING btree (address)'],
  reloptions: [],
};

const layout = verticalLayout(SHIPMENTS, { shard1: ['carrier', 'status', 'created_at'], shard2: ['address'] });

describe('vertical layout', () => {
  it('adds the primary key to every group and keeps the table order', () => {
    expect(layout).toEqual({
      table: 'shipments',
      key: ['order_id'],
      groups: [
        { node: 'shard1', columns: ['order_id', 'carrier', 'status', 'created_at'] },
        { node: 'shard2', columns: ['order_id', 'address'] },
      ],
    });
    expect(primaryKeyOf({ ...SHIPMENTS, keys: [{ name: 'k', def: 'PRIMARY KEY (order_id, line)' }] })).toEqual(['order_id', 'line']);
    expect(() => primaryKeyOf({ ...SHIPMENTS, keys: [] })).toThrow(/no primary key/);
    expect(() => verticalLayout(SHIPMENTS, { shard1: ['weight'], shard2: ['address'] })).toThrow(/vertical\.shipments\.shard1: shipments has no column weight/);
  });

  it("gives each shard only its columns, and the key, checks and indexes over them alone", () => {
    const details = groupShape(SHIPMENTS, layout.groups[0]!);
    expect(details.columns.map((c) => c.name)).toEqual(['order_id', 'carrier', 'status', 'created_at']);
    expect(details.keys).toEqual(SHIPMENTS.keys);
    expect(details.checks).toEqual(SHIPMENTS.checks);
    expect(details.indexes).toEqual([]);
    const customer = groupShape(SHIPMENTS, layout.groups[1]!);
    expect(customer.columns.map((c) => c.name)).toEqual(['order_id', 'address']);
    expect(customer.checks).toEqual([]);
    expect(customer.indexes).toEqual(SHIPMENTS.indexes);
  });

  it('names a foreign table per group on the coordinator, reading the shard table of the same name', () => {
    expect(groupForeignTableDdl(SHIPMENTS, layout.groups[1]!)).toBe(
      `CREATE FOREIGN TABLE "shipments_shard2" ("order_id" bigint, "address" text) SERVER "shard2" OPTIONS (schema_name 'public', table_name 'shipments')`,
    );
  });

  it('joins the groups on the key in a view with the columns in their order and the defaults moved onto it', () => {
    expect(verticalViewDdl(SHIPMENTS, layout)).toEqual([
      'CREATE VIEW "shipments" AS SELECT g1."order_id", g1."carrier", g2."address", g1."status", g1."created_at" ' +
        'FROM "shipments_shard1" g1 JOIN "shipments_shard2" g2 ON g2."order_id" = g1."order_id"',
      'ALTER VIEW "shipments" ALTER COLUMN "created_at" SET DEFAULT now()',
    ]);
  });

  it('routes inserts to every group, updates only to groups whose columns changed, deletes to every group', () => {
    const [fn, trigger] = verticalTriggerDdl(SHIPMENTS, layout);
    expect(fn).toContain('INSERT INTO "shipments_shard1" ("order_id", "carrier", "status", "created_at") VALUES (NEW."order_id", NEW."carrier", NEW."status", NEW."created_at");');
    expect(fn).toContain('INSERT INTO "shipments_shard2" ("order_id", "address") VALUES (NEW."order_id", NEW."address");');
    expect(fn).toContain(
      'IF ROW(NEW."order_id", NEW."address") IS DISTINCT FROM ROW(OLD."order_id", OLD."address") THEN UPDATE "shipments_shard2" SET "order_id" = NEW."order_id", "address" = NEW."address" WHERE "order_id" = OLD."order_id"; END IF;',
    );
    expect(fn).toContain('DELETE FROM "shipments_shard1" WHERE "order_id" = OLD."order_id";');
    expect(trigger).toBe(
      'CREATE TRIGGER faultline_vertical_route INSTEAD OF INSERT OR UPDATE OR DELETE ON "shipments" FOR EACH ROW EXECUTE FUNCTION "faultline_vertical_shipments"()',
    );
  });
});
