import { DEFAULT_MONGO_IMAGE, DEFAULT_MONGO_VERSION } from '../../topologies/mongo/containers/container-mongo-provider.ts';
import { requireMongoImage } from '../../topologies/mongo/containers/mongo-image.ts';
import { resolvePgImage } from '../../topologies/postgres/containers/image/resolve-pg-image.ts';
import { isMongoTopology } from '../scenario/mongo-schema.ts';
import type { Scenario } from '../scenario/schema.ts';

// Before any container starts: is the scenario's image on this machine? PostgreSQL: faultline's
// own image for the current inputs unless provider.image names another. MongoDB: a mongo image,
// which cannot be built here. The registry is contacted only when provider.pull asks for it.
// A missing image rejects with ImageMissingError: one line, exit 2, naming the command to run.

export async function checkScenarioImage(scenario: Scenario): Promise<void> {
  const { topology, provider } = scenario;
  if (provider.kind !== 'containers') return;
  const pull = provider.pull ?? 'never';
  if (isMongoTopology(topology.kind)) {
    const image = provider.image ?? DEFAULT_MONGO_IMAGE;
    const version = provider.version ?? DEFAULT_MONGO_VERSION;
    if (pull === 'never') await requireMongoImage(`${image}:${version}`);
    else await resolvePgImage({ image, version, pull });
    return;
  }
  await resolvePgImage({ image: provider.image, version: provider.version, pull });
}
