import { CONTAINER_PG_TOPOLOGIES, PG_TOPOLOGY_KINDS } from '../../harness/scenario/pg-container-schema.ts';
import type { Engine } from '../engine.ts';

/** PostgreSQL: single-leader (streaming replicas, Patroni), multi-leader (pglogical), regional-central, partitioned (postgres_fdw). */
export const postgresEngine: Engine = {
  name: 'PostgreSQL',
  kinds: PG_TOPOLOGY_KINDS,
  containerKinds: [...CONTAINER_PG_TOPOLOGIES],
  datasetCopies(topology) {
    switch (topology.kind) {
      case 'pg-single-leader':
        return 1 + topology.replicas;
      case 'pg-partitioned':
        return 2 + topology.replicasPerShard; // the coordinator's share plus the shards' and their copies
      case 'pg-multi-leader':
        return topology.leaders.length;
      case 'pg-regional-central':
        return topology.regions.length * (1 + topology.replicasPerRegion) + (topology.central === false ? 0 : 1); // every node loads or copies it whole
      default:
        throw new Error(`${topology.kind} is not a PostgreSQL topology`);
    }
  },
  async provision(scenario, sandbox, signal) {
    // Loaded when a run provisions, so preflights and `validate` start without the topologies.
    const { createTopology } = await import('../../topologies/postgres/create-pg-topology.ts');
    const { pgRun } = await import('./pg-run.ts');
    return pgRun(scenario, await createTopology(scenario, sandbox, signal));
  },
  async localProblem(scenario) {
    const { topology } = scenario;
    if (topology.kind !== 'pg-single-leader' || topology.failover.mode !== 'patroni') return undefined;
    const { patroniMissing } = await import('../../topologies/postgres/patroni/patroni-binaries.ts');
    const missing = patroniMissing();
    return missing === undefined ? undefined : `${missing}; run \`faultline doctor\` to see what this machine has and how to get the rest`;
  },
  async imageStatus() {
    const { IMAGE_REPOSITORY, projectImageTag } = await import('../../topologies/postgres/containers/image/pg-image-inputs.ts');
    const { BUILD_COMMAND } = await import('../../topologies/postgres/containers/image/resolve-pg-image.ts');
    const { imagesOfRepository } = await import('../../harness/containers/docker-cli.ts');
    const current = projectImageTag();
    const built = (await imagesOfRepository(IMAGE_REPOSITORY)).includes(current);
    return `PostgreSQL (${IMAGE_REPOSITORY}): the current inputs make ${current}: ${built ? 'built' : `not built; run \`${BUILD_COMMAND}\``}`;
  },
  async doctorProbes(run) {
    const { pgDoctorProbes } = await import('./pg-doctor.ts');
    return pgDoctorProbes(run);
  },
  // faultline's own image for the current inputs unless provider.image names another.
  async checkImage(provider) {
    const { resolvePgImage } = await import('../../topologies/postgres/containers/image/resolve-pg-image.ts');
    await resolvePgImage({ image: provider.image, version: provider.version, pull: provider.pull ?? 'never' });
  },
};
