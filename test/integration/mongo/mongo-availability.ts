import { DEFAULT_MONGO_IMAGE, DEFAULT_MONGO_VERSION } from '../../../src/topologies/mongo/containers/container-mongo-provider.ts';
import { containerRuntimeProblem } from '../../../src/harness/containers/container-runtime.ts';
import { mongoImageProblem } from '../../../src/topologies/mongo/containers/mongo-image.ts';
import { findMongoBinaries } from '../../../src/topologies/mongo/local/mongo-binaries.ts';

// Which real MongoDB servers this machine can start: local mongod/mongos binaries, a Docker
// engine for containers. Integration tests run against whichever is there and skip the rest,
// saying why; nothing here is ever faked.

const localProblem = await findMongoBinaries(undefined, true).then(
  () => undefined,
  (error: unknown) => (error instanceof Error ? error.message.split(';')[0] : String(error)),
);
const dockerProblem = await containerRuntimeProblem();

export const HAS_LOCAL_MONGO = localProblem === undefined;
export const HAS_DOCKER = dockerProblem === undefined;

export const LOCAL_SKIP = `skipped: ${localProblem ?? ''} (faultline doctor says how to get mongod and mongos)`;
export const DOCKER_SKIP = `skipped: no Docker engine (${dockerProblem ?? ''}); faultline doctor says how to get one`;

// An engine is not enough: no mongo image can be built here and tests never pull, so the
// container suites also need the image already on the engine.
const imageProblem = HAS_DOCKER ? await mongoImageProblem(`${DEFAULT_MONGO_IMAGE}:${DEFAULT_MONGO_VERSION}`) : undefined;
export const HAS_MONGO_CONTAINERS = HAS_DOCKER && imageProblem === undefined;
export const CONTAINERS_SKIP = HAS_DOCKER ? `skipped: ${imageProblem ?? ''} (faultline images)` : DOCKER_SKIP;

/** Prints why a suite is skipped, so the skip shows in the test output and not only as a count. */
export function warnSkipped(suite: string, available: boolean, reason: string): void {
  if (!available) console.warn(`${suite}: ${reason}`);
}
