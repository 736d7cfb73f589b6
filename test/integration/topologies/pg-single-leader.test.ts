import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DbNode } from '../../../src/topologies/topology.ts';
import { startLocalTopology, type LocalTopology, type SingleLeaderInput } from '../../support/local-topology.ts';

// A primary with two streaming replicas, in each replication mode, as real servers.

let servers: LocalTopology | undefined;
const clients: pg.Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
  await servers?.[Symbol.asyncDispose]();
  servers = undefined;
});

async function start(spec: SingleLeaderInput): Promise<LocalTopology> {
  servers = await startLocalTopology(spec, `sl-${spec.replication ?? 'async'}`);
  return servers;
}

async function connect(node: DbNode): Promise<pg.Client> {
  const client = new pg.Client({ ...node.endpoint(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

async function show(client: pg.Client, setting: string): Promise<string> {
  return (await client.query<Record<string, string>>(`SHOW ${setting}`)).rows[0]![setting]!;
}

async function replication(primary: pg.Client): Promise<Record<string, { state: string; sync_state: string }>> {
  const { rows } = await primary.query<{ application_name: string; state: string; sync_state: string }>(
    'SELECT application_name, state, sync_state FROM pg_stat_replication ORDER BY application_name',
  );
  return Object.fromEntries(rows.map(({ application_name: name, ...rest }) => [name, rest]));
}

async function seen(replica: pg.Client, id: number): Promise<boolean> {
  try {
    return ((await replica.query('SELECT 1 FROM marks WHERE id = $1', [id])).rowCount ?? 0) > 0;
  } catch (error) {
    // An async replica may not even have the table yet.
    if ((error as { code?: string }).code === '42P01') return false;
    throw error;
  }
}

describe('pg-single-leader', () => {
  it('async: both replicas stream the primary\'s writes and are read-only hot standbys', async () => {
    const { topology } = await start({ replicas: 2, replication: 'async' });
    expect(topology.describe()).toEqual([
      { name: 'primary', role: 'primary', host: '127.0.0.1', port: topology.primary().port },
      { name: 'replica1', role: 'replica', host: '127.0.0.1', port: topology.nodes[1]!.port },
      { name: 'replica2', role: 'replica', host: '127.0.0.1', port: topology.nodes[2]!.port },
    ]);
    expect(new Set(topology.nodes.map((n) => n.port)).size).toBe(3);
    expect(topology.readNodes().map((n) => n.name)).toEqual(['replica1', 'replica2']);

    const primary = await connect(topology.primary());
    const replicas = await Promise.all(topology.readNodes().map(connect));
    expect(await show(primary, 'synchronous_standby_names')).toBe('');
    expect(await replication(primary)).toEqual({
      replica1: { state: 'streaming', sync_state: 'async' },
      replica2: { state: 'streaming', sync_state: 'async' },
    });
    for (const client of [primary, ...replicas]) expect(await show(client, 'listen_addresses')).toBe('127.0.0.1');

    await primary.query('CREATE TABLE marks (id integer PRIMARY KEY)');
    await primary.query('INSERT INTO marks VALUES (1)');
    for (const replica of replicas) {
      const deadline = Date.now() + 10_000;
      while (!(await seen(replica, 1))) {
        expect(Date.now(), 'row replicated within 10 s').toBeLessThan(deadline);
        await sleep(10);
      }
    }
    // quiesce: everything the primary wrote has been applied everywhere.
    await primary.query('INSERT INTO marks SELECT generate_series(2, 1000)');
    expect(await topology.quiesce(10_000)).toBe(true);
    for (const replica of replicas) {
      expect((await replica.query('SELECT count(*)::integer AS n FROM marks')).rows[0].n).toBe(1000);
      expect((await replica.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
      await expect(replica.query('INSERT INTO marks VALUES (0)')).rejects.toMatchObject({ code: '25006' });
    }
  });

  it.each([
    {
      replication: 'sync',
      names: 'FIRST 1 ("replica1", "replica2")',
      commit: 'on',
      states: { replica1: 'sync', replica2: 'potential' },
    },
    {
      replication: 'remote_apply',
      names: 'FIRST 1 ("replica1", "replica2")',
      commit: 'remote_apply',
      states: { replica1: 'sync', replica2: 'potential' },
    },
    {
      replication: 'quorum',
      names: 'ANY 1 ("replica1", "replica2")',
      commit: 'on',
      states: { replica1: 'quorum', replica2: 'quorum' },
    },
  ] as const)('$replication: the primary waits for $names', async ({ replication: mode, names, commit, states }) => {
    const { topology } = await start({ replicas: 2, replication: mode });
    const primary = await connect(topology.primary());
    expect(await show(primary, 'synchronous_standby_names')).toBe(names);
    expect(await show(primary, 'synchronous_commit')).toBe(commit);
    const rows = await replication(primary);
    expect(Object.fromEntries(Object.entries(rows).map(([name, row]) => [name, row.sync_state]))).toEqual(states);
    expect(Object.values(rows).every((row) => row.state === 'streaming')).toBe(true);

    await primary.query('CREATE TABLE marks (id integer PRIMARY KEY)');
    await primary.query('INSERT INTO marks VALUES (1)');
    if (mode === 'remote_apply') {
      // The commit returned only once the sync standby had applied it: visible there at once.
      const replica1 = await connect(topology.nodes.find((n) => n.name === 'replica1')!);
      expect(await seen(replica1, 1)).toBe(true);
    }
    expect(await topology.quiesce(10_000)).toBe(true);
    for (const node of topology.readNodes()) expect(await seen(await connect(node), 1), node.name).toBe(true);

    // With no standby left to confirm, a commit waits; it completes once one is back.
    await Promise.all(topology.readNodes().map((node) => node.stop()));
    const pending = primary.query('INSERT INTO marks VALUES (2)');
    expect(await Promise.race([pending.then(() => 'committed'), sleep(700).then(() => 'waiting')])).toBe('waiting');
    await topology.nodes.find((n) => n.name === 'replica2')!.start();
    await pending;
    expect(await seen(await connect(topology.nodes.find((n) => n.name === 'replica2')!), 2)).toBe(true);
  });
});
