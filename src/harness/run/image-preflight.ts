import { engineFor } from '../../engines/registry/engine-registry.ts';
import type { Scenario } from '../scenario/schema.ts';

// Before any container starts: is the scenario's image on this machine? Each engine knows its
// image (engines/*/: PostgreSQL's is built here, MongoDB's cannot be). The registry is contacted
// only when provider.pull asks for it. A missing image rejects with ImageMissingError: one line,
// exit 2, naming the command to run.

export async function checkScenarioImage(scenario: Scenario): Promise<void> {
  const { topology, provider } = scenario;
  if (provider.kind !== 'containers') return;
  await engineFor(topology.kind).checkImage?.(provider);
}
