import { UsageError } from '../output/exit-codes.ts';
import { checkMachine } from './machine-preflight.ts';
import type { Scenario } from '../scenario/schema.ts';
import { ENGINES, engineFor } from '../../engines/registry/engine-registry.ts';

const DOCTOR = 'run `faultline doctor` to see what this machine has and how to get the rest';

export interface PreflightProbes {
  /** Undefined when a container engine answers, else why not. */
  readonly containerProblem: () => Promise<string | undefined>;
  /** Local provider: what the scenario's engine misses on this machine (its binaries), or undefined. */
  readonly localProblem: (scenario: Scenario) => Promise<string | undefined>;
  /** Rejects (ImageMissingError, exit 2) when the scenario's container image is not on this machine. */
  readonly image?: (scenario: Scenario) => Promise<void>;
}

// The container probes load the engine client (testcontainers, the MongoDB driver) only for a
// containers scenario: a local run, or a mistake in the arguments, starts without them.
const REAL: PreflightProbes = {
  containerProblem: async () => (await import('../containers/container-runtime.ts')).containerRuntimeProblem(),
  localProblem: async (scenario) => engineFor(scenario.topology.kind).localProblem?.(scenario),
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
  if (provider.kind === 'containers') {
    if (!engineFor(topology.kind).containerKinds.includes(topology.kind)) {
      const can = ENGINES.flatMap((engine) => engine.containerKinds).join(', ');
      throw new UsageError(`${scenario.name}: ${topology.kind} cannot run in containers yet (${can} can); use provider: { kind: local } or drop --provider containers`);
    }
    const problem = await probes.containerProblem();
    if (problem !== undefined) throw new UsageError(`${scenario.name}: the containers provider needs a Docker engine, and none answers (${problem}); ${DOCTOR}`);
    await probes.image?.(scenario);
    return;
  }
  const missing = await probes.localProblem(scenario);
  if (missing !== undefined) throw new UsageError(`${scenario.name}: ${missing}`);
}

/** --provider: the scenario's provider replaced, unless it already is that kind (its image is kept). */
export function providerOverride(scenario: Scenario, kind: 'local' | 'containers' | undefined): string[] {
  if (kind === undefined || scenario.provider.kind === kind) return [];
  return [`provider={kind: ${kind}}`];
}
