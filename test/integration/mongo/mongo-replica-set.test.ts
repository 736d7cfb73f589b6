import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RunSandbox } from '../../../src/harness/process/run-sandbox.ts';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { withMongoClient } from '../../../src/topologies/mongo/admin/with-mongo-client.ts';
import type { EngineRun } from '../../../src/engines/engine.ts';
import { mongoEngine } from '../../../src/engines/mongo/mongo-engine.ts';
import type { MongoReplicaSet } from '../../../src/topologies/mongo/replica-set/mongo-replica-set.ts';
import { CONTAINERS_SKIP, HAS_LOCAL_MONGO, HAS_MONGO_CONTAINERS, LOCAL_SKIP, warnSkipped } from './mongo-availability.ts';

// A real three-member replica set, on local mongod processes and in Docker containers: it is
// initiated with a primary, replicates majority writes to the secondaries, and elects a new
// primary when the old one is killed.

let running: { provisioned: EngineRun; sandbox: RunSandbox } | undefined;

afterEach(async () => {
  if (!running) return;
  await running.provisioned.topology[Symbol.asyncDispose]();
  await running.provisioned.provider[Symbol.asyncDispose]();
  await running.sandbox[Symbol.asyncDispose]();
  running = undefined;
});

async function start(provider: string): Promise<MongoReplicaSet> {
  const scenario = parseScenario(
    `name: it-mongo-rs\ndescription: d\nprovider: ${provider}\ntopology: { kind: mongo-replica-set, members: 3, electionTimeout: 2s }\n`,
    'it.yaml',
  );
  const sandbox = await RunSandbox.create(`it-mongo-rs-${process.pid}-${Date.now()}`);
  const provisioned = await mongoEngine.provision(scenario, sandbox);
  running = { provisioned, sandbox };
  await provisioned.topology.start();
  return provisioned.topology as MongoReplicaSet;
}

async function behaves(topology: MongoReplicaSet): Promise<void> {
  expect(topology.primary().name).toBe('mongo1');
  await withMongoClient(topology.primary().endpoint(), (client) =>
    client.db('faultline').collection('marks').insertOne({ _id: 1 as never, at: new Date() }, { writeConcern: { w: 'majority' } }),
  );
  for (const secondary of topology.readableSecondaries()) {
    const doc = await withMongoClient(secondary.endpoint(), (client) => client.db('faultline').collection('marks').findOne({ _id: 1 as never }, { readPreference: 'secondary' }));
    expect(doc).not.toBeNull();
  }
  const events: string[] = [];
  topology.observe((event) => event.type === 'failover' && events.push(`${event.from}->${event.to}`), () => performance.now());
  await topology.primary().kill();
  for (let waited = 0; events.length === 0 && waited < 30_000; waited += 200) await sleep(200);
  expect(events[0]).toMatch(/^mongo1->mongo[23]$/);
  await topology.recover('mongo1');
  expect(await topology.quiesce(30_000)).toBe(true);
}

describe.skipIf(!HAS_LOCAL_MONGO)(`mongo-replica-set on local mongod${HAS_LOCAL_MONGO ? '' : ` (${LOCAL_SKIP})`}`, () => {
  warnSkipped('mongo-replica-set on local mongod', HAS_LOCAL_MONGO, LOCAL_SKIP);
  it('is initiated with a primary, replicates majority writes and elects a new primary when it is killed', async () => {
    await behaves(await start('{ kind: local }'));
  }, 180_000);
});

describe.skipIf(!HAS_MONGO_CONTAINERS)(`mongo-replica-set in containers${HAS_MONGO_CONTAINERS ? '' : ` (${CONTAINERS_SKIP})`}`, () => {
  warnSkipped('mongo-replica-set in containers', HAS_MONGO_CONTAINERS, CONTAINERS_SKIP);
  it('is initiated with a primary, replicates majority writes and elects a new primary when it is killed', async () => {
    await behaves(await start('{ kind: containers }'));
  }, 300_000);
});
