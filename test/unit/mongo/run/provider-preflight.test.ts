import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/harness/output/exit-codes.ts';
import { checkProvider, providerOverride, type PreflightProbes } from '../../../../src/harness/run/provider-preflight.ts';
import { parseScenario } from '../../../../src/harness/scenario/parse-scenario.ts';
import { MissingMongoError } from '../../../../src/topologies/mongo/local/mongo-binaries.ts';
import { mongoEngine, mongoLocalProblem } from '../../../../src/engines/mongo/mongo-engine.ts';
import { runCli } from '../../cli/run-cli.ts';

const scenario = (topology: string, provider = '{ kind: local }') => parseScenario(`name: t\ndescription: d\ntopology: ${topology}\nprovider: ${provider}\n`, 't.yaml');

function probes(docker: string | undefined, mongo: boolean, asked: string[] = []): PreflightProbes {
  return {
    containerProblem: async () => docker,
    // MongoDB's own preflight, with the binaries' search replaced; PostgreSQL (local processes) needs none here.
    localProblem: async (s) =>
      mongoEngine.kinds.includes(s.topology.kind)
        ? mongoLocalProblem(s, async (_dir, router) => {
            asked.push(router ? 'mongod+mongos' : 'mongod');
            if (!mongo) throw new MissingMongoError('no mongod found on PATH; `faultline doctor` says what this machine has');
          })
        : undefined,
  };
}

describe('provider preflight (before any server starts)', () => {
  it('names a missing mongod and points to faultline doctor, as a usage error', async () => {
    const error = await checkProvider(scenario('{ kind: mongo-replica-set }'), probes(undefined, false)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^t: no mongod found on PATH.*faultline doctor/);
  });

  it('asks for mongos too when the topology is sharded, and passes when the binaries are there', async () => {
    const asked: string[] = [];
    await checkProvider(scenario('{ kind: mongo-sharded }'), probes(undefined, true, asked));
    expect(asked).toEqual(['mongod+mongos']);
  });

  it('says the containers provider needs a Docker engine when none answers', async () => {
    const error = await checkProvider(scenario('{ kind: mongo-replica-set }', '{ kind: containers }'), probes('Could not find a working container runtime strategy', true)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/containers provider needs a Docker engine.*Could not find.*faultline doctor/);
    await expect(checkProvider(scenario('{ kind: mongo-replica-set }', '{ kind: containers }'), probes(undefined, false))).resolves.toBeUndefined();
  });

  it('lets every PostgreSQL topology through to containers when an engine answers, and leaves local PostgreSQL to its provider', async () => {
    await expect(checkProvider(scenario('{ kind: pg-single-leader }', '{ kind: containers }'), probes(undefined, false))).resolves.toBeUndefined();
    await expect(checkProvider(scenario('{ kind: pg-single-leader }', '{ kind: containers }'), probes('no engine', false))).rejects.toThrow(/needs a Docker engine/);
    const local = parseScenario('name: t\ndescription: d\ntopology: { kind: pg-partitioned }\nchecks: [lost-writes]\n', 't.yaml');
    // pg-partitioned runs in containers too (coordinator, shards, their replicas).
    const partitioned = { ...local, provider: { kind: 'containers' as const } };
    await expect(checkProvider(partitioned, probes(undefined, true))).resolves.toBeUndefined();
    await expect(checkProvider(scenario('{ kind: pg-single-leader }'), probes('none', false))).resolves.toBeUndefined();
  });

  it('--provider replaces the scenario’s provider only when it differs', () => {
    expect(providerOverride(scenario('{ kind: mongo-replica-set }'), 'containers')).toEqual(['provider={kind: containers}']);
    expect(providerOverride(scenario('{ kind: mongo-replica-set }', '{ kind: containers, version: "7.0" }'), 'containers')).toEqual([]);
    expect(providerOverride(scenario('{ kind: mongo-replica-set }'), undefined)).toEqual([]);
  });
});

describe('faultline run on this machine', () => {
  it('exits 2 naming what is missing for a MongoDB scenario when mongod or Docker is absent, and starts nothing', () => {
    const mongod = spawnSync('mongod', ['--version'], { stdio: 'ignore' });
    const docker = spawnSync('docker', ['info'], { stdio: 'ignore' });
    if (mongod.error === undefined && mongod.status === 0) return;
    const local = runCli(['run', 'scenarios/mongo-replica-set.yaml', '--out', '/nonexistent/reports']);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/no mongod found.*faultline doctor/);
    if (docker.error === undefined && docker.status === 0) return;
    const containers = runCli(['run', 'scenarios/mongo-replica-set.yaml', '--provider', 'containers', '--out', '/nonexistent/reports']);
    expect(containers.code).toBe(2);
    expect(containers.stderr).toMatch(/needs a Docker engine.*faultline doctor/);
  });
});
