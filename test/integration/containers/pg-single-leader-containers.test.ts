import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { getContainerRuntimeClient } from 'testcontainers';
import { afterEach, describe, expect, it } from 'vitest';
import { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { containerRuntimeProblem } from '../../../src/harness/containers/container-runtime.ts';
import { createTopology, type ProvisionedTopology } from '../../../src/topologies/postgres/create-pg-topology.ts';
import { pgContainerName } from '../../../src/topologies/postgres/containers/container-pg-provider.ts';
import type { PgServerNode } from '../../../src/topologies/postgres/pg-server-node.ts';
import { PgSingleLeader } from '../../../src/topologies/postgres/single-leader/pg-single-leader.ts';
import { testRunId } from '../../support/local-topology.ts';

// pg-single-leader in real PostgreSQL containers (faultline's own image, never pulled): the
// replicas' base backups, streaming, a killed primary, a failover with the old primary rewound,
// a partition by nftables rules in the nodes' namespaces, a pause. Runs wherever a Docker engine answers; skipped,
// saying why, everywhere else. Nothing here is faked.

const dockerProblem = await containerRuntimeProblem();
const HAS_DOCKER = dockerProblem === undefined;
const SKIP = `skipped: no Docker engine (${dockerProblem ?? ''}); faultline doctor says how to get one`;
if (!HAS_DOCKER) console.warn(`pg-single-leader in containers: ${SKIP}`);

let running: { provisioned: ProvisionedTopology; sandbox: RunSandbox } | undefined;
const clients: pg.Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
  if (!running) return;
  try {
    await running.provisioned.topology[Symbol.asyncDispose]();
    await running.provisioned.provider[Symbol.asyncDispose]();
  } finally {
    await running.sandbox[Symbol.asyncDispose]();
    running = undefined;
  }
});

async function start(topology: string, faults = ''): Promise<{ topology: PgSingleLeader; password: string; runId: string }> {
  const scenario = parseScenario(`name: it-pg-containers\ndescription: d\nprovider: { kind: containers }\ntopology: ${topology}\n${faults}`, 'it.yaml');
  const runId = testRunId('pg-containers');
  const sandbox = await RunSandbox.create(runId);
  const provisioned = await createTopology(scenario, sandbox);
  running = { provisioned, sandbox };
  if (!(provisioned.topology instanceof PgSingleLeader)) throw new Error(`unexpected topology ${provisioned.topology.kind}`);
  await provisioned.topology.start();
  return { topology: provisioned.topology, password: provisioned.provider.password, runId };
}

async function connect(node: PgServerNode): Promise<pg.Client> {
  const client = new pg.Client({ ...node.endpoint(), connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

async function count(node: PgServerNode): Promise<number> {
  const client = await connect(node);
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM marks')).rows[0]!.n;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0;
    throw error;
  }
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

describe.skipIf(!HAS_DOCKER)(`pg-single-leader in containers${HAS_DOCKER ? '' : ` (${SKIP})`}`, () => {
  it('copies the primary into each replica, streams its writes to them, and keeps the password out of Docker and the logs', async () => {
    const { topology, password, runId } = await start('{ kind: pg-single-leader, replicas: 2, replication: sync }');
    const primary = await connect(topology.primary());
    const { rows } = await primary.query<{ application_name: string; state: string; sync_state: string }>(
      'SELECT application_name, state, sync_state FROM pg_stat_replication ORDER BY application_name',
    );
    expect(rows.map((r) => [r.application_name, r.state, r.sync_state])).toEqual([
      ['replica1', 'streaming', 'sync'],
      ['replica2', 'streaming', 'potential'],
    ]);
    await primary.query('CREATE TABLE marks (id integer PRIMARY KEY)');
    await primary.query('INSERT INTO marks SELECT generate_series(1, 1000)');
    expect(await topology.quiesce(30_000)).toBe(true);
    for (const replica of topology.readNodes()) {
      expect(await count(replica)).toBe(1000);
      await expect((await connect(replica)).query('INSERT INTO marks VALUES (0)')).rejects.toMatchObject({ code: '25006' });
    }
    const docker = await getContainerRuntimeClient();
    for (const node of topology.nodes) {
      const inspect = await docker.container.inspect(docker.container.getById(pgContainerName(runId, node.name)));
      expect(JSON.stringify(inspect.Config.Env)).not.toContain(password);
      expect(JSON.stringify(inspect.HostConfig.PortBindings)).toContain(String(node.port));
      expect(await readFile(node.logPath, 'utf8')).not.toContain(password);
    }
  }, 600_000);

  it('restarts a killed primary with its data; fails over to a replica and rewinds the old primary into a replica of it', async () => {
    const { topology } = await start('{ kind: pg-single-leader, replicas: 2, replication: async, failover: { mode: manual } }');
    const first = topology.primary();
    await (await connect(first)).query('CREATE TABLE marks (id integer PRIMARY KEY); INSERT INTO marks VALUES (1)');
    expect(await topology.quiesce(30_000)).toBe(true);

    await first.kill();
    expect(first.state).toBe('killed');
    await topology.recover(first.name);
    expect(await count(first)).toBe(1);

    await topology.failover('test');
    const promoted = topology.primary();
    expect(promoted.name).not.toBe('primary');
    expect(first.role).toBe('replica');
    await (await connect(promoted)).query('INSERT INTO marks VALUES (2)');
    await topology.recover(first.name);
    expect(first.state).toBe('running');
    await eventually('the old primary streams from the new one', async () => (await topology.quiesce(5_000)) && (await count(first)) === 2, 120_000);
    expect((await (await connect(first)).query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    // By pg_rewind, not a full copy: its crash recovery ran with faultline's config, so
    // wal_log_hints stayed on and pg_rewind took the killed primary.
    const log = await readFile(first.logPath, 'utf8');
    expect(log).toContain('faultline: rewinding to the new primary');
    expect(log).toContain('faultline: rewound');
    expect(log).not.toContain('pg_rewind failed');
  }, 600_000);

  it.each(['remote_apply', 'quorum'] as const)('boots a primary whose config waits for standbys (%s) and makes its replicas synchronous', async (mode) => {
    const { topology } = await start(`{ kind: pg-single-leader, replicas: 2, replication: ${mode}, syncCount: 1 }`);
    const primary = await connect(topology.primary());
    const { rows } = await primary.query<{ sync_state: string }>('SELECT sync_state FROM pg_stat_replication ORDER BY application_name');
    expect(rows.map((r) => r.sync_state)).toEqual(mode === 'quorum' ? ['quorum', 'quorum'] : ['sync', 'potential']);
    expect((await primary.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s")).rows[0]!.s).toBe(mode === 'remote_apply' ? 'remote_apply' : 'on');
    await primary.query('CREATE TABLE marks (id integer PRIMARY KEY); INSERT INTO marks VALUES (1)');
    // remote_apply: the commit returned only once the synchronous standby had applied it.
    if (mode === 'remote_apply') expect(await count(topology.node('replica1'))).toBe(1);
  }, 600_000);

  it('cuts replication with rules in the nodes\' namespaces, keeps clients on the primary, catches up when healed; a paused primary is frozen until resumed', async () => {
    const { topology } = await start(
      '{ kind: pg-single-leader, replicas: 1, replication: async }',
      'faults:\n  - { kind: partition, between: [primary, replicas], at: 10s, duration: 1s }\n',
    );
    const primary = await connect(topology.primary());
    await primary.query('CREATE TABLE marks (id integer PRIMARY KEY); INSERT INTO marks VALUES (1)');
    expect(await topology.quiesce(30_000)).toBe(true);
    const cut = { mode: 'blackhole' as const, delayMs: 0, jitterMs: 0, bytesPerSecond: undefined };
    const pass = { ...cut, mode: 'pass' as const };
    for (const link of ['primary->replica1', 'replica1->primary']) await topology.linkControl.setLinkState(link, { upstream: cut, downstream: cut });
    await primary.query('INSERT INTO marks VALUES (2)');
    expect(await topology.quiesce(3_000)).toBe(false);
    expect(await count(topology.readNodes()[0]!)).toBe(1);
    for (const link of ['primary->replica1', 'replica1->primary']) await topology.linkControl.setLinkState(link, { upstream: pass, downstream: pass });
    await eventually('the replica catches up after the partition', async () => (await count(topology.readNodes()[0]!)) === 2, 120_000);
    // On the same nodes (a topology of its own cost a container start): pause freezes the primary.
    const node = topology.primary();
    const client = await connect(node);
    await node.pause();
    await expect(client.query('SELECT 1')).rejects.toThrow();
    await node.resume();
    expect((await (await connect(node)).query('SELECT 1 AS one')).rows[0].one).toBe(1);
  }, 600_000);
});
