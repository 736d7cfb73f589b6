import { containerEngine, engineEndpoint, RUN_LABEL } from '../../src/harness/containers/container-engine.ts';
import { listLabelled, type EngineEndpoint, type LabelledResources } from '../../src/harness/process/container-reaper.mjs';
import { containerRuntimeProblem } from '../../src/harness/containers/container-runtime.ts';
import { resolvePgImage } from '../../src/topologies/postgres/containers/image/resolve-pg-image.ts';

// What container integration tests share: whether an engine answers (the only reason they may
// skip), the project's PostgreSQL image as a scenario names it, and what of a run is still on
// the engine (containers, networks, volumes with its label).

const problem = await containerRuntimeProblem();
export const HAS_ENGINE = problem === undefined;
export const NO_ENGINE = `skipped: no container engine answers (${problem ?? ''}); .ci/setup installs and starts one where it can, faultline doctor says how`;

/**
 * The scenario's provider for the project's image. Missing image with an engine present is a
 * failure, not a skip: .ci/setup builds it, and the error names the command.
 */
export async function projectProvider(): Promise<{ kind: 'containers'; image: string; version: string }> {
  const { ref } = await resolvePgImage();
  const colon = ref.lastIndexOf(':');
  return { kind: 'containers', image: ref.slice(0, colon), version: ref.slice(colon + 1) };
}

let endpoint: EngineEndpoint | undefined;
export async function engine(): Promise<EngineEndpoint> {
  endpoint ??= engineEndpoint(await containerEngine());
  return endpoint;
}

/** Containers, networks and volumes on the engine that carry the run's label. */
export async function runResources(runId: string): Promise<LabelledResources> {
  return listLabelled(await engine(), `${RUN_LABEL}=${runId}`);
}

export const countOf = (found: LabelledResources) => found.containers.length + found.networks.length + found.volumes.length;
