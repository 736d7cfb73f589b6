import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { LagEvent } from '../../../src/harness/history/history-types.ts';
import { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { Scenario } from '../../../src/harness/scenario/schema.ts';
import { createSchemaPg } from '../../../src/harness/workload/ecommerce/schema-pg.ts';
import { createTopology, type ProvisionedTopology } from '../../../src/topologies/postgres/create-pg-topology.ts';
import { PgMultiLeader } from '../../../src/topologies/postgres/multi-leader/pg-multi-leader.ts';
import type { DbNode } from '../../../src/topologies/topology.ts';
import { testRunId } from '../../support/local-topology.ts';

// Two pglogical leaders as real servers, brought up as `faultline run` does: the workload's
// schema and the same rows on each, then afterLoad() subscribes each to the other.

interface Leaders {
  readonly topology: PgMultiLeader;
  readonly us: pg.Client;
  readonly eu: pg.Client;
}

let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function connect(node: DbNode, clients: pg.Client[]): Promise<pg.Client> {
  const client = new pg.Client({ ...node.endpoint(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

async function startLeaders(conflictResolution: string): Promise<Leaders> {
  const scenario = Scenario.parse({ name: 'ml-test', description: 'd', topology: { kind: 'pg-multi-leader', conflictResolution } });
  const sandbox = await RunSandbox.create(testRunId(`ml-${conflictResolution}`));
  let provisioned: ProvisionedTopology | undefined;
  const clients: pg.Client[] = [];
  cleanup = async () => {
    try {
      await Promise.all(clients.map((client) => client.end().catch(() => {})));
      await provisioned?.topology[Symbol.asyncDispose]();
      await provisioned?.provider[Symbol.asyncDispose]();
    } finally {
      await sandbox[Symbol.asyncDispose]();
    }
  };
  provisioned = await createTopology(scenario, sandbox);
  const topology = provisioned.topology;
  if (!(topology instanceof PgMultiLeader)) throw new Error(`unexpected topology ${topology.kind}`);
  await topology.start();
  const [us, eu] = await Promise.all(topology.datasetNodes().map((node) => connect(node, clients)));
  for (const client of [us!, eu!]) {
    await createSchemaPg(client);
    await client.query('INSERT INTO inventory (product_id, warehouse_id, on_hand, initial_on_hand) VALUES (1, 1, 100, 100), (2, 1, 100, 100)');
  }
  await topology.afterLoad();
  return { topology, us: us!, eu: eu! };
}

async function onHand(client: pg.Client, productId: number): Promise<number | undefined> {
  const { rows } = await client.query<{ on_hand: number }>('SELECT on_hand FROM inventory WHERE product_id = $1 AND warehouse_id = 1', [productId]);
  return rows[0]?.on_hand;
}

/** Both leaders change one row while neither hears the other, then replication resumes. */
async function concurrentDecrements(leaders: Leaders): Promise<void> {
  const { us, eu, topology } = leaders;
  await us.query("SELECT pglogical.alter_subscription_disable('us_east_from_eu_west', true)");
  await eu.query("SELECT pglogical.alter_subscription_disable('eu_west_from_us_east', true)");
  await us.query('UPDATE inventory SET on_hand = on_hand - 3 WHERE product_id = 1');
  await eu.query('UPDATE inventory SET on_hand = on_hand - 5 WHERE product_id = 1');
  await us.query("SELECT pglogical.alter_subscription_enable('us_east_from_eu_west', true)");
  await eu.query("SELECT pglogical.alter_subscription_enable('eu_west_from_us_east', true)");
  expect(await topology.quiesce(20_000)).toBe(true);
}

describe('pg-multi-leader', () => {
  it('brings up two leaders in their regions, each subscribed to the other without loops', async () => {
    const { topology, us, eu } = await startLeaders('last_update_wins');
    expect(topology.describe().map(({ name, role, region }) => ({ name, role, region }))).toEqual([
      { name: 'us-east', role: 'primary', region: 'us-east' },
      { name: 'eu-west', role: 'primary', region: 'eu-west' },
    ]);
    expect(topology.writeNodesFor('eu-west').map((n) => n.name)).toEqual(['eu-west']);
    expect(topology.readNodesFor('us-east').map((n) => n.name)).toEqual(['us-east']);
    // '{}' is stored as no origins at all: nothing that came from a third node is sent on.
    const { rows } = await us.query<{ name: string; status: string; forward: number }>(
      `SELECT s.subscription_name AS name, s.status, coalesce(cardinality(sub.sub_forward_origins), 0) AS forward
         FROM pglogical.show_subscription_status() s JOIN pglogical.subscription sub ON sub.sub_name = s.subscription_name`,
    );
    expect(rows).toEqual([{ name: 'us_east_from_eu_west', status: 'replicating', forward: 0 }]);
    expect((await eu.query('SHOW pglogical.conflict_resolution')).rows[0]).toEqual({ 'pglogical.conflict_resolution': 'last_update_wins' });
    expect((await eu.query('SHOW track_commit_timestamp')).rows[0]).toEqual({ track_commit_timestamp: 'on' });
  });

  it('replicates writes both ways, and quiesce waits until each leader has the other\'s', async () => {
    const { topology, us, eu } = await startLeaders('last_update_wins');
    await us.query("INSERT INTO orders (id, customer_id, region, status, total) VALUES (101, 1, 'NA', 'placed', 10)");
    await eu.query("INSERT INTO orders (id, customer_id, region, status, total) VALUES (102, 2, 'EMEA', 'placed', 20)");
    await eu.query('UPDATE inventory SET on_hand = 90 WHERE product_id = 2');
    expect(await topology.quiesce(10_000)).toBe(true);
    for (const client of [us, eu]) {
      expect((await client.query('SELECT id FROM orders ORDER BY id')).rows).toEqual([{ id: '101' }, { id: '102' }]);
      expect(await onHand(client, 2)).toBe(90);
    }
    const report = await topology.multiLeaderReport();
    expect(report.conflicts.total).toBe(0);
    expect(report.divergence).toEqual({ rows: 0, tables: {}, unreadable: {} });
    expect(report.convergenceMs).not.toBeNull();
  });

  it('counts a conflict on each leader for one row decremented on both, and loses one decrement (last_update_wins)', async () => {
    const leaders = await startLeaders('last_update_wins');
    await concurrentDecrements(leaders);
    // The later commit (eu-west's) wins on both leaders: they agree on 95, and us-east's 3 units are gone.
    expect(await onHand(leaders.us, 1)).toBe(95);
    expect(await onHand(leaders.eu, 1)).toBe(95);
    const report = await leaders.topology.multiLeaderReport();
    expect(report.conflicts).toMatchObject({
      total: 2,
      byKind: { update_update: 2 },
      byRelation: { inventory: 2 },
      byResolution: { apply_remote: 1, keep_local: 1 },
    });
    expect(report.conflicts.byNode['us-east']).toMatchObject({ total: 1, byResolution: { apply_remote: 1 } });
    expect(report.conflicts.byNode['eu-west']).toMatchObject({ total: 1, byResolution: { keep_local: 1 } });
    expect(report.divergence.rows).toBe(0);
    expect(report.convergenceMs).toBeGreaterThanOrEqual(0);
  });

  it('finds the row apply_remote leaves different on each leader', async () => {
    const leaders = await startLeaders('apply_remote');
    await concurrentDecrements(leaders);
    // Each leader took the other's version: they swapped, and never converge.
    expect(await onHand(leaders.us, 1)).toBe(95);
    expect(await onHand(leaders.eu, 1)).toBe(97);
    const report = await leaders.topology.multiLeaderReport();
    expect(report.conflicts.byResolution).toEqual({ apply_remote: 2 });
    expect(report.divergence).toMatchObject({ rows: 1, tables: { inventory: { missing: 0, different: 1, keys: ['1,1'] } } });
    expect(report.catchUpMs).not.toBeNull();
    expect(report.convergenceMs).toBeNull();
  });

  it('samples replication lag in both directions from per-leader heartbeats', async () => {
    const { topology, us } = await startLeaders('last_update_wins');
    const events: LagEvent[] = [];
    const sampler = topology.lagSampler((event) => events.push(event), () => performance.now());
    sampler.start();
    await sleep(600);
    await sampler.stop();
    const directions = new Set(events.map((event) => event.node));
    expect(directions).toEqual(new Set(['us-east->eu-west', 'eu-west->us-east']));
    expect(events.every((event) => event.stalenessMs >= 0 && event.stalenessMs < 1_000)).toBe(true);
    expect(Object.keys((await topology.multiLeaderReport()).lagMs)).toEqual(['eu-west->us-east', 'us-east->eu-west']);
    // Heartbeats are rows like any other: each leader holds both leaders' rows.
    expect((await us.query('SELECT origin FROM faultline_leader_heartbeat ORDER BY origin')).rows).toEqual([{ origin: 'eu-west' }, { origin: 'us-east' }]);
  });
});
