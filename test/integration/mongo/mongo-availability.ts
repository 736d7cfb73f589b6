import { containerRuntimeProblem } from '../../../src/topologies/mongo/containers/container-runtime.ts';
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

/** Prints why a suite is skipped, so the skip shows in the test output and not only as a count. */
export function warnSkipped(suite: string, available: boolean, reason: string): void {
  if (!available) console.warn(`${suite}: ${reason}`);
}
