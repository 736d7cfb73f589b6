import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { CONTAINERS_SKIP, HAS_LOCAL_MONGO, HAS_MONGO_CONTAINERS, LOCAL_SKIP, warnSkipped } from './mongo-availability.ts';

// The MongoDB scenarios a user runs, end to end against real servers: the known answers (w:1
// with a partitioned primary loses acknowledged writes, w:majority does not), the replica set
// with its primary killed, and the sharded cluster with zones.

const SCENARIOS = new URL('../../../scenarios/', import.meta.url).pathname;

async function run(file: string, set: readonly string[] = []) {
  const { scenario } = await loadScenario(join(SCENARIOS, file), set);
  return runScenario(scenario, { reportsRoot: await mkdtemp(join(tmpdir(), 'faultline-mongo-')), print: () => {} });
}

describe.skipIf(!HAS_LOCAL_MONGO)(`MongoDB scenarios on local mongod${HAS_LOCAL_MONGO ? '' : ` (${LOCAL_SKIP})`}`, () => {
  warnSkipped('MongoDB scenarios on local mongod', HAS_LOCAL_MONGO, LOCAL_SKIP);

  it('known answer: w:1 with the primary partitioned from its secondaries loses acknowledged writes', async () => {
    const { results } = await run('mongo-replica-set-w1-partition.yaml');
    expect(results.run.status).toBe('completed');
    expect(results.checks['lost-writes']).toMatchObject({ verdict: 'invalid' });
    expect(results.checks['lost-writes']!.counts.lost).toBeGreaterThan(0);
    expect(results.failovers.length).toBeGreaterThan(0);
  }, 300_000);

  it('known answer: w:majority under the same partition loses nothing', async () => {
    const { results } = await run('mongo-replica-set-majority-partition.yaml');
    expect(results.run.status).toBe('completed');
    expect(results.checks['lost-writes']).toMatchObject({ verdict: 'valid', counts: { lost: 0 } });
  }, 300_000);

  it('mongo-replica-set: the killed primary gives an election time and an unavailability window, and nothing is lost', async () => {
    const { results } = await run('mongo-replica-set.yaml');
    expect(results.run.status).toBe('completed');
    expect(results.checks.availability!.counts.maxFailoverMs).toBeGreaterThan(0);
    expect(results.checks['lost-writes']!.verdict).toBe('valid');
    expect(results.checks.invariants!.verdict).toBe('valid');
  }, 300_000);

  it('mongo-sharded: orders by customer id with EMEA on shard 2, distribution recorded', async () => {
    const { results, reportDir } = await run('mongo-sharded.yaml', ['workload.duration=15s', 'faults=[]']);
    expect(results.run.status).toBe('completed');
    const { readFile } = await import('node:fs/promises');
    const distribution = JSON.parse(await readFile(join(reportDir, 'shard-distribution.json'), 'utf8')) as { final: { documents: Record<string, number> } };
    expect(Object.keys(distribution.final.documents).sort()).toEqual(['shard1', 'shard2']);
  }, 300_000);
});

describe.skipIf(!HAS_MONGO_CONTAINERS)(`MongoDB scenarios in containers${HAS_MONGO_CONTAINERS ? '' : ` (${CONTAINERS_SKIP})`}`, () => {
  warnSkipped('MongoDB scenarios in containers', HAS_MONGO_CONTAINERS, CONTAINERS_SKIP);

  it('mongo-replica-set runs in containers with --provider containers', async () => {
    const { results } = await run('mongo-replica-set.yaml', ['provider={kind: containers}']);
    expect(results.run.status).toBe('completed');
    expect(results.checks['lost-writes']!.verdict).toBe('valid');
  }, 600_000);

  it('known answer in containers: w:1 with the primary off the run network loses acknowledged writes', async () => {
    const { results } = await run('mongo-replica-set-w1-partition.yaml', ['provider={kind: containers}']);
    expect(results.checks['lost-writes']).toMatchObject({ verdict: 'invalid' });
  }, 600_000);
});
