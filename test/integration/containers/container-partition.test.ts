import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerEngine, RUN_LABEL } from '../../../src/harness/containers/container-engine.ts';
import { injectFault } from '../../../src/harness/fault/fault-actions.ts';
import { NetworkFaults } from '../../../src/harness/fault/link-effects.ts';
import { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import type { Scenario } from '../../../src/harness/scenario/schema.ts';
import { createRandom } from '../../../src/harness/workload/random.ts';
import { createTopology, type ProvisionedTopology } from '../../../src/topologies/postgres/create-pg-topology.ts';
import { pgContainerName } from '../../../src/topologies/postgres/containers/container-pg-provider.ts';
import type { PgServerNode } from '../../../src/topologies/postgres/pg-server-node.ts';
import { PgSingleLeader } from '../../../src/topologies/postgres/single-leader/pg-single-leader.ts';
import { TRIES } from '../../support/container-known-answers.ts';
import { HAS_ENGINE, NO_ENGINE, projectProvider, runResources } from '../../support/containers.ts';
import { testRunId } from '../../support/local-topology.ts';

// Partitions between PostgreSQL containers, enforced by nftables rules in the nodes' own network
// namespaces (the path the nemesis takes: a scenario fault through injectFault). What they must
// never do is cut a client connection the fault does not name: sessions opened before the
// partition keep answering on the majority's nodes (and on every published port, the harness's
// path), while the nodes cannot reach each other; the heal lets replication catch up. Real
// containers of the project's image; skipped only where no container engine answers.

if (!HAS_ENGINE) console.warn(`partitions in containers: ${NO_ENGINE}`);

let sandbox: RunSandbox | undefined;
let provisioned: ProvisionedTopology | undefined;
let topology: PgSingleLeader;
let runId: string;
let scenario: Scenario;
const clients: pg.Client[] = [];

const FAULTS = [
  '  - { kind: partition, isolate: primary, at: 10s }',
  '  - { kind: partition, sides: [[primary, replica1], [replica2]], at: 10s }',
  '  - { kind: partition, between: [primary, replica1], direction: one-way, at: 10s }',
  '  - { kind: bandwidth, between: [primary, replica1], bytesPerSecond: 20000, at: 10s }',
].join('\n');

beforeAll(async () => {
  if (!HAS_ENGINE) return;
  const provider = await projectProvider();
  scenario = parseScenario(
    [
      'name: it-container-partitions',
      'description: d',
      `provider: { kind: containers, image: ${provider.image}, version: "${provider.version}" }`,
      'topology: { kind: pg-single-leader, replicas: 2, replication: async, failover: { mode: manual } }',
      'faults:',
      FAULTS,
      '',
    ].join('\n'),
    'it.yaml',
  );
  runId = testRunId('partition');
  sandbox = await RunSandbox.create(runId);
  provisioned = await createTopology(scenario, sandbox);
  if (!(provisioned.topology instanceof PgSingleLeader)) throw new Error(`unexpected topology ${provisioned.topology.kind}`);
  topology = provisioned.topology;
  await topology.start();
  const primary = await connect(topology.primary());
  await primary.query('CREATE TABLE marks (id integer PRIMARY KEY)');
  await primary.query('INSERT INTO marks VALUES (0)');
  expect(await topology.quiesce(60_000)).toBe(true);
}, 600_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
  try {
    await provisioned?.topology[Symbol.asyncDispose]();
    await provisioned?.provider[Symbol.asyncDispose]();
  } finally {
    await sandbox?.[Symbol.asyncDispose]();
  }
  if (HAS_ENGINE && runId) expect((await runResources(runId)).containers).toEqual([]);
}, 120_000);

async function connect(node: PgServerNode, port?: number): Promise<pg.Client> {
  const client = new pg.Client({ ...node.endpoint(), ...(port ? { port } : {}), connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

const nodeNamed = (name: string) => topology.nodes.find((n) => n.name === name)!;
const count = async (client: pg.Client) => (await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM marks')).rows[0]!.n;

function inContainer(node: string, ...command: string[]): { code: number | null; out: string } {
  const result = spawnSync('docker', ['exec', pgContainerName(runId, node), ...command], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** Whether `from` reaches `to`'s server over the run's network (pg_isready inside from's container). */
const reaches = (from: string, to: string) => inContainer(from, 'pg_isready', '-q', '-h', to, '-p', '5432', '-t', '2').code === 0;

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(250);
  }
}

async function inject(index: number) {
  const network = new NetworkFaults(topology.linkControl);
  const injected = await injectFault(index + 1, scenario.faults[index]!, topology, network, createRandom(1, 'it'));
  return { injected, heal: () => network.remove(index + 1) };
}

describe.skipIf(!HAS_ENGINE)(`partitions in containers${HAS_ENGINE ? '' : ` (${NO_ENGINE})`}`, () => {
  it('publishes every port of the run on 127.0.0.1 only', async () => {
    const docker = await containerEngine();
    const { containers } = await runResources(runId);
    expect(containers).toHaveLength(3);
    const listening = spawnSync('ss', ['-ltnH'], { encoding: 'utf8' }).stdout;
    for (const { id } of containers) {
      const inspect = await docker.container.inspect(docker.container.getById(id));
      expect(inspect.Config.Labels[RUN_LABEL]).toBe(runId);
      const bindings = Object.values(inspect.NetworkSettings.Ports).flatMap((list) => list ?? []);
      expect(bindings.length).toBeGreaterThan(0);
      for (const binding of bindings) {
        expect(binding.HostIp).toBe('127.0.0.1');
        expect(listening).toContain(`127.0.0.1:${binding.HostPort} `);
        expect(listening).not.toMatch(new RegExp(`(0\\.0\\.0\\.0|\\*|\\[::\\]):${binding.HostPort} `));
      }
      // One network, the run's (its name sorts after "bridge"); NET_ADMIN for the partition rules.
      expect(Object.keys(inspect.NetworkSettings.Networks)).toEqual([`faultline-${runId}`]);
      expect(inspect.HostConfig.CapAdd).toContain('NET_ADMIN');
    }
  });

  // Once in `npm test`; FAULTLINE_CONTAINER_REPEAT=3 repeats it on the same nodes (the "3 of 3").
  for (const round of TRIES) {
    it(`isolate primary (round ${round} of ${TRIES.length}): client connections to the majority stay alive, the nodes lose each other, the heal reconnects them`, async () => {
      // Sessions opened before the partition: on each published port (the harness's path, which
      // no fault touches) and on each client link (the load's path, which isolate cuts too).
      const direct = await Promise.all(topology.nodes.map((node) => connect(node, node.port)));
      const linked = new Map(await Promise.all(topology.nodes.map(async (node) => [node.name, await connect(node)] as const)));
      const primary = direct[topology.nodes.indexOf(topology.primary())]!;
      const before = await count(primary);
      const { injected, heal } = await inject(0);
      expect(injected.targets).toEqual(expect.arrayContaining(['primary->replica1', 'replica1->primary', 'primary->replica2', 'replica2->primary', 'clients->primary']));
      expect(inContainer('primary', 'nft', 'list', 'table', 'inet', 'faultline').out).toContain('drop');
      expect(reaches('replica1', 'primary')).toBe(false);
      expect(reaches('primary', 'replica2')).toBe(false);
      expect(reaches('replica1', 'replica2')).toBe(true);
      await primary.query('INSERT INTO marks VALUES ($1)', [round]);
      await sleep(2_000);
      // The majority's clients: alive. The isolated node: cut from its clients' link, as isolate says.
      for (const name of ['replica1', 'replica2']) expect((await linked.get(name)!.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await expect(linked.get('primary')!.query('SELECT 1')).rejects.toThrow(/timeout/i);
      for (const session of direct) expect((await session.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      for (const name of ['replica1', 'replica2']) expect(await count(linked.get(name)!)).toBe(before);
      await heal();
      expect(inContainer('primary', 'nft', 'list', 'table', 'inet', 'faultline').out).not.toContain('drop');
      await eventually('both replicas catch up after the heal', async () => {
        for (const name of ['replica1', 'replica2']) if ((await count(linked.get(name)!)) !== before + 1) return false;
        return true;
      });
      for (const session of [...direct, linked.get('replica1')!, linked.get('replica2')!]) expect((await session.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      expect((await (await connect(topology.primary())).query('SELECT 1 AS one')).rows[0].one).toBe(1);
    }, 180_000);
  }

  it('sides [[primary, replica1], [replica2]] and one-way between [primary, replica1] cut exactly those packets', async () => {
    const sessions = await Promise.all(topology.nodes.map((node) => connect(node)));
    const sides = await inject(1);
    expect(reaches('primary', 'replica1')).toBe(true);
    expect(reaches('replica1', 'replica2')).toBe(false);
    expect(reaches('replica2', 'primary')).toBe(false);
    for (const session of sessions) expect((await session.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await sides.heal();
    expect(reaches('replica2', 'primary')).toBe(true);

    const oneWay = await inject(2);
    const address = (name: string) => (nodeNamed(name) as unknown as { address: string }).address;
    const primaryRules = inContainer('primary', 'nft', 'list', 'table', 'inet', 'faultline').out;
    const replicaRules = inContainer('replica1', 'nft', 'list', 'table', 'inet', 'faultline').out;
    // Packets from the primary to replica1 are dropped, on both ends; nothing else is.
    expect(primaryRules).toContain(`ip daddr ${address('replica1')} drop`);
    expect(primaryRules).not.toContain(`ip saddr ${address('replica1')}`);
    expect(replicaRules).toContain(`ip saddr ${address('primary')} drop`);
    expect(replicaRules).not.toContain(`ip daddr ${address('primary')}`);
    expect(reaches('primary', 'replica1')).toBe(false);
    expect(reaches('primary', 'replica2')).toBe(true);
    for (const session of sessions) expect((await session.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await oneWay.heal();
    expect(reaches('primary', 'replica1')).toBe(true);
  }, 180_000);

  it('keeps a partition on a node that was killed while it held: its new namespace gets the rules before its server talks', async () => {
    const { heal } = await inject(0);
    const replica = nodeNamed('replica1');
    await replica.kill();
    await topology.recover('replica1');
    expect(inContainer('replica1', 'nft', 'list', 'table', 'inet', 'faultline').out).toContain('drop');
    expect(reaches('replica1', 'primary')).toBe(false);
    await heal();
    expect(reaches('replica1', 'primary')).toBe(true);
  }, 180_000);

  it('bandwidth between two nodes is htb in the sender\'s namespace; a delay says netem is missing where it is', async () => {
    const fetch = () => {
      const started = Date.now();
      const { code, out } = inContainer('replica1', 'sh', '-c', "PGPASSFILE=/faultline/pgpass psql -h primary -U faultline -d faultline -Atc \"SELECT repeat('x', 100000)\" > /dev/null");
      expect(code, out).toBe(0);
      return Date.now() - started;
    };
    const before = fetch();
    const narrow = await inject(3);
    expect(inContainer('primary', 'tc', 'qdisc', 'show', 'dev', 'eth0').out).toContain('htb');
    // 100 kB from the primary to replica1 at 20 kB/s: about 5 s instead of a moment.
    const slowed = fetch();
    console.log(`100 kB primary -> replica1: ${before} ms unshaped, ${slowed} ms at 20 kB/s`);
    expect(slowed).toBeGreaterThan(3_000);
    await narrow.heal();
    expect(inContainer('primary', 'tc', 'qdisc', 'show', 'dev', 'eth0').out).not.toContain('htb');
    // A delay between nodes (validation refuses it in scenarios): netem where the kernel has it.
    const delayed = { upstream: { mode: 'pass' as const, delayMs: 50, jitterMs: 0, bytesPerSecond: undefined }, downstream: { mode: 'pass' as const, delayMs: 0, jitterMs: 0, bytesPerSecond: undefined } };
    const healed = { ...delayed, upstream: delayed.downstream };
    const netem = inContainer('primary', 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms');
    if (netem.code === 0) {
      inContainer('primary', 'tc', 'qdisc', 'del', 'dev', 'lo', 'root');
      await topology.linkControl.setLinkState('primary->replica1', delayed);
      expect(inContainer('primary', 'tc', 'qdisc', 'show', 'dev', 'eth0').out).toContain('netem');
    } else {
      await expect(topology.linkControl.setLinkState('primary->replica1', delayed)).rejects.toThrow(/needs the kernel's netem/);
    }
    await topology.linkControl.setLinkState('primary->replica1', healed);
    expect(inContainer('primary', 'tc', 'qdisc', 'show', 'dev', 'eth0').out).not.toContain('htb');
  }, 180_000);
});
