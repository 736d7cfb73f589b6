import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_DDL } from '../../../src/harness/metrics/lag-sampler.ts';
import { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { Scenario } from '../../../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { createSchemaPg } from '../../../src/harness/workload/ecommerce/schema-pg.ts';
import { containerRuntimeProblem } from '../../../src/topologies/mongo/containers/container-runtime.ts';
import { createTopology, type ProvisionedTopology } from '../../../src/topologies/create-topology.ts';
import { PgMultiLeader } from '../../../src/topologies/postgres/multi-leader/pg-multi-leader.ts';
import { PgRegionalCentral } from '../../../src/topologies/postgres/regional/pg-regional-central.ts';
import type { DbNode } from '../../../src/topologies/topology.ts';
import { testRunId } from '../../support/local-topology.ts';

// pg-regional-central and pg-multi-leader in real PostgreSQL containers. Regional runs on the
// official image; multi-leader needs an image with pglogical, named by FAULTLINE_PGLOGICAL_IMAGE
// (image:tag). Each suite runs wherever what it needs is there, and says why it is skipped
// everywhere else. Nothing here is faked.

const dockerProblem = await containerRuntimeProblem();
const HAS_DOCKER = dockerProblem === undefined;
const NO_DOCKER = `skipped: no Docker engine (${dockerProblem ?? ''}); faultline doctor says how to get one`;
const PGLOGICAL_IMAGE = process.env.FAULTLINE_PGLOGICAL_IMAGE;
const NO_PGLOGICAL = HAS_DOCKER ? 'skipped: set FAULTLINE_PGLOGICAL_IMAGE=image:tag to an image with pglogical' : NO_DOCKER;
if (!HAS_DOCKER) console.warn(`pg-regional-central in containers: ${NO_DOCKER}`);
if (!HAS_DOCKER || !PGLOGICAL_IMAGE) console.warn(`pg-multi-leader in containers: ${NO_PGLOGICAL}`);

const cleanups: (() => Promise<void>)[] = [];
const clients: pg.Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function provision(input: Record<string, unknown>): Promise<{ provisioned: ProvisionedTopology; scenario: Scenario }> {
  const scenario = Scenario.parse({ name: 'it-containers', description: 'd', ...input });
  const sandbox = await RunSandbox.create(testRunId('pg-containers-other'));
  let provisioned: ProvisionedTopology | undefined;
  cleanups.push(async () => {
    try {
      await provisioned?.topology[Symbol.asyncDispose]();
      await provisioned?.provider[Symbol.asyncDispose]();
    } finally {
      await sandbox[Symbol.asyncDispose]();
    }
  });
  provisioned = await createTopology(scenario, sandbox);
  return { provisioned, scenario };
}

async function connect(node: DbNode): Promise<pg.Client> {
  const client = new pg.Client({ ...node.endpoint(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

const count = async (client: pg.Client, table: string) => (await client.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`)).rows[0]!.n;

describe.skipIf(!HAS_DOCKER)(`pg-regional-central in containers${HAS_DOCKER ? '' : ` (${NO_DOCKER})`}`, () => {
  it("keeps each region's rows, copies its primary into its replica, and central subscribes over the run network", async () => {
    const { provisioned, scenario } = await provision({
      provider: { kind: 'containers' },
      seed: 4,
      regions: { seattle: { customers: ['NA', 'LATAM'] }, boston: { customers: ['EMEA', 'APJ'] }, central: { clients: 0 } },
      topology: { kind: 'pg-regional-central', regions: ['seattle', 'boston'], replicasPerRegion: 1 },
      workload: { dataset: { customers: 300, products: 40, initialStock: 100_000 } },
      checks: ['central-completeness'],
    });
    const topology = provisioned.topology;
    if (!(topology instanceof PgRegionalCentral)) throw new Error(`unexpected topology ${topology.kind}`);
    await topology.start();
    const workload = createEcommerceWorkload(scenario.workload, scenario.seed);
    for (const node of topology.datasetNodes()) {
      const client = await connect(node);
      await workload.createSchema(client);
      await client.query(HEARTBEAT_DDL);
      await workload.loadDataset(client);
    }
    await topology.afterLoad();
    expect(await topology.quiesce(60_000)).toBe(true);
    const seattle = await connect(topology.node('seattle'));
    const replica = await connect(topology.readNodesFor('seattle')[0]!);
    expect((await replica.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    expect(await count(replica, 'customers')).toBe(await count(seattle, 'customers'));
    expect(await count(seattle, 'customers')).toBeLessThan(300);
  }, 600_000);
});

describe.skipIf(!HAS_DOCKER || !PGLOGICAL_IMAGE)(`pg-multi-leader in containers${HAS_DOCKER && PGLOGICAL_IMAGE ? '' : ` (${NO_PGLOGICAL})`}`, () => {
  it('subscribes each leader to the other over the run network and replicates writes both ways', async () => {
    const [image, version] = (PGLOGICAL_IMAGE ?? '').split(':');
    const { provisioned } = await provision({ provider: { kind: 'containers', image, ...(version ? { version } : {}) }, topology: { kind: 'pg-multi-leader' } });
    const topology = provisioned.topology;
    if (!(topology instanceof PgMultiLeader)) throw new Error(`unexpected topology ${topology.kind}`);
    await topology.start();
    const [us, eu] = await Promise.all(topology.datasetNodes().map(connect));
    for (const client of [us!, eu!]) {
      await createSchemaPg(client);
      await client.query('INSERT INTO inventory (product_id, warehouse_id, on_hand, initial_on_hand) VALUES (1, 1, 100, 100)');
    }
    await topology.afterLoad();
    await us!.query('UPDATE inventory SET on_hand = 90 WHERE product_id = 1');
    const deadline = Date.now() + 30_000;
    while ((await eu!.query<{ on_hand: number }>('SELECT on_hand FROM inventory WHERE product_id = 1')).rows[0]!.on_hand !== 90) {
      expect(Date.now(), 'the update reached eu-west within 30 s').toBeLessThan(deadline);
      await sleep(200);
    }
  }, 600_000);
});
