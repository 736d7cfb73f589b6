import { UsageError } from '../cli/exit-codes.ts';
import { checkMachine } from './machine-preflight.ts';
import { isMongoTopology } from '../scenario/mongo-schema.ts';
import { CONTAINER_PG_TOPOLOGIES } from '../scenario/pg-container-schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { findMongoBinaries, MissingMongoError } from '../../topologies/mongo/local/mongo-binaries.ts';
import { patroniMissing } from '../../topologies/postgres/patroni/patroni-binaries.ts';

const DOCTOR = 'run `faultline doctor` to see what this machine has and how to get the rest';

export interface PreflightProbes {
  /** Undefined when a container engine answers, else why not. */
  readonly containerProblem: () => Promise<string | undefined>;
  /** Resolves when mongod (and mongos when asked) are found; rejects with MissingMongoError otherwise. */
  readonly findMongo: (binDir: string | undefined, needRouter: boolean) => Promise<unknown>;
  /** Rejects (ImageMissingError, exit 2) when the scenario's container image is not on this machine. */
  readonly image?: (scenario: Scenario) => Promise<void>;
}

// The container probes load the engine client (testcontainers, the MongoDB driver) only for a
// containers scenario: a local run, or a mistake in the arguments, starts without them.
const REAL: PreflightProbes = {
  containerProblem: async () => (await import('../../topologies/mongo/containers/container-runtime.ts')).containerRuntimeProblem(),
  findMongo: findMongoBinaries,
  image: async (scenario) => (await import('./image-preflight.ts')).checkScenarioImage(scenario),
};

/**
 * Before any server starts: does this machine have what the scenario's provider and engine
 * need? A missing engine is the user's to fix, so it exits 2 naming what is missing, not as a
 * failed run after a half-provisioned topology.
 */
export async function checkProvider(scenario: Scenario, probes: PreflightProbes = REAL): Promise<void> {
  // The dataset against free space, the workers against open files: one line, nothing started.
  checkMachine(scenario);
  const { topology, provider } = scenario;
  const mongo = isMongoTopology(topology.kind);
  if (provider.kind === 'containers') {
    if (!mongo && !CONTAINER_PG_TOPOLOGIES.has(topology.kind)) {
      const can = ['mongo-replica-set', 'mongo-sharded', ...CONTAINER_PG_TOPOLOGIES].join(', ');
      throw new UsageError(`${scenario.name}: ${topology.kind} cannot run in containers yet (${can} can); use provider: { kind: local } or drop --provider containers`);
    }
    const problem = await probes.containerProblem();
    if (problem !== undefined) throw new UsageError(`${scenario.name}: the containers provider needs a Docker engine, and none answers (${problem}); ${DOCTOR}`);
    await probes.image?.(scenario);
    return;
  }
  if (topology.kind === 'pg-single-leader' && topology.failover.mode === 'patroni') {
    const missing = patroniMissing();
    if (missing !== undefined) throw new UsageError(`${scenario.name}: ${missing}; ${DOCTOR}`);
  }
  if (!mongo) return;
  try {
    await probes.findMongo(undefined, topology.kind === 'mongo-sharded');
  } catch (error) {
    if (error instanceof MissingMongoError) throw new UsageError(`${scenario.name}: ${error.message}`);
    throw error;
  }
}

/** --provider: the scenario's provider replaced, unless it already is that kind (its image is kept). */
export function providerOverride(scenario: Scenario, kind: 'local' | 'containers' | undefined): string[] {
  if (kind === undefined || scenario.provider.kind === kind) return [];
  return [`provider={kind: ${kind}}`];
}
