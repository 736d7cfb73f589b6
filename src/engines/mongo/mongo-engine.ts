import { MONGO_TOPOLOGY_KINDS } from '../../harness/scenario/mongo-schema.ts';
import type { Scenario } from '../../harness/scenario/schema.ts';
import { binaryProbe } from '../doctor-probe.ts';
import type { Engine } from '../engine.ts';

// The MongoDB driver, testcontainers and the topologies load when a MongoDB scenario is provisioned
// or preflighted, never for a PostgreSQL run or a mistake in the arguments.

type FindMongo = (binDir: string | undefined, needRouter: boolean) => Promise<unknown>;

/** mongod (and mongos for a sharded cluster) on this machine, or what is missing; `find` replaced in tests. */
export async function mongoLocalProblem(scenario: Scenario, find?: FindMongo): Promise<string | undefined> {
  const { findMongoBinaries, MissingMongoError } = await import('../../topologies/mongo/local/mongo-binaries.ts');
  try {
    await (find ?? findMongoBinaries)(undefined, scenario.topology.kind === 'mongo-sharded');
    return undefined;
  } catch (error) {
    if (error instanceof MissingMongoError) return error.message;
    throw error;
  }
}

/** MongoDB: a replica set (+ arbiter, hidden member) or a sharded cluster (config servers, shards, mongos). */
export const mongoEngine: Engine = {
  name: 'MongoDB',
  kinds: MONGO_TOPOLOGY_KINDS,
  containerKinds: MONGO_TOPOLOGY_KINDS,
  // The driver pools its sockets per client: the open-files preflight counts PostgreSQL's one socket per worker connection.
  workerSockets: false,
  datasetCopies(topology) {
    if (topology.kind === 'mongo-replica-set') return topology.members + (topology.hidden ? 1 : 0);
    if (topology.kind === 'mongo-sharded') return topology.membersPerShard;
    throw new Error(`${topology.kind} is not a MongoDB topology`);
  },
  async provision(scenario, sandbox) {
    const spec = scenario.topology;
    if (spec.kind !== 'mongo-replica-set' && spec.kind !== 'mongo-sharded') throw new Error(`${spec.kind} is not a MongoDB topology`);
    const { createMongoTopology } = await import('../../topologies/mongo/create-mongo-topology.ts');
    const { mongoRun } = await import('./mongo-run.ts');
    const { topology, provider } = await createMongoTopology(scenario, spec, sandbox);
    return mongoRun(scenario, topology, provider);
  },
  localProblem: (scenario) => mongoLocalProblem(scenario),
  async doctorProbes(run) {
    const fix = "install MongoDB (mongod and mongos) from MongoDB's packages, or run the MongoDB scenarios with Docker";
    return [await binaryProbe(run, 'mongod', ['--version'], fix), await binaryProbe(run, 'mongos', ['--version'], fix)];
  },
  async imageStatus() {
    const { DEFAULT_MONGO_IMAGE, DEFAULT_MONGO_VERSION } = await import('../../topologies/mongo/containers/container-mongo-provider.ts');
    const { imagesOfRepository } = await import('../../harness/containers/docker-cli.ts');
    const present = await imagesOfRepository(DEFAULT_MONGO_IMAGE);
    if (present.length > 0) return `MongoDB: ${present.join(', ')} present; a scenario picks one with provider.image / provider.version`;
    return (
      `MongoDB: no ${DEFAULT_MONGO_IMAGE} image here, and faultline cannot build one (Debian and npm carry no mongod). ` +
      `Where a registry is reachable: \`docker pull ${DEFAULT_MONGO_IMAGE}:${DEFAULT_MONGO_VERSION}\`, then run MongoDB scenarios with --provider containers.`
    );
  },
  async checkImage(provider) {
    const { DEFAULT_MONGO_IMAGE, DEFAULT_MONGO_VERSION } = await import('../../topologies/mongo/containers/container-mongo-provider.ts');
    const image = provider.image ?? DEFAULT_MONGO_IMAGE;
    const version = provider.version ?? DEFAULT_MONGO_VERSION;
    if ((provider.pull ?? 'never') === 'never') {
      const { requireMongoImage } = await import('../../topologies/mongo/containers/mongo-image.ts');
      await requireMongoImage(`${image}:${version}`);
      return;
    }
    const { resolvePgImage } = await import('../../topologies/postgres/containers/image/resolve-pg-image.ts');
    await resolvePgImage({ image, version, pull: provider.pull });
  },
};
