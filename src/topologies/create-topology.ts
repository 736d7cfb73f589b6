import type { Scenario } from '../harness/scenario/schema.ts';
import type { RunSandbox } from '../harness/process/run-sandbox.ts';
import type { Topology } from './topology.ts';
import type { FaultSurface } from '../harness/fault/fault-surface.ts';
import type { HistoryEvent } from '../harness/history/history-types.ts';
import { LocalPgProvider } from './postgres/local/local-pg-provider.ts';
import { PgSingleLeader } from './postgres/single-leader/pg-single-leader.ts';
import { directNetwork } from './network/direct-network.ts';

/** A topology the nemesis can break and whose events (failovers, roles) reach the history. */
export type FaultableTopology = Topology &
  FaultSurface & { observe(sink: (event: HistoryEvent) => void, now: () => number): void };

export interface ProvisionedTopology {
  readonly topology: FaultableTopology;
  /** Strings that must never appear in logs or reports (the per-run password). */
  readonly secrets: readonly string[];
  readonly engineVersion: string;
  readonly provider: LocalPgProvider;
}

/** Maps a scenario's topology to its implementation; nothing is started yet. */
export async function createTopology(scenario: Scenario, sandbox: RunSandbox): Promise<ProvisionedTopology> {
  const provider = await LocalPgProvider.create(sandbox, scenario.provider.binDir);
  const spec = scenario.topology;
  switch (spec.kind) {
    case 'pg-single-leader':
      return {
        topology: new PgSingleLeader(spec, provider, async (nodes) =>
          directNetwork((name) => nodes.find((node) => node.name === name)!.port),
        ),
        secrets: [provider.password],
        engineVersion: `PostgreSQL ${provider.bin.version}`,
        provider,
      };
  }
}
