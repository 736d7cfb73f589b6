import type { Scenario } from '../harness/scenario/schema.ts';
import type { RunSandbox } from '../harness/process/run-sandbox.ts';
import type { Topology } from './topology.ts';
import type { FaultSurface } from '../harness/fault/fault-surface.ts';
import type { HistoryEvent } from '../harness/history/history-types.ts';
import { LocalPgProvider } from './postgres/local/local-pg-provider.ts';
import { PgSingleLeader } from './postgres/single-leader/pg-single-leader.ts';
import { PgPartitioned } from './postgres/partitioned/pg-partitioned.ts';
import type { ShardPlacement } from './postgres/partitioned/shard-placement.ts';
import { directNetwork } from './network/direct-network.ts';
import { proxiedNetwork } from './network/proxied-network.ts';
import type { TopologyNetwork } from './network/topology-network.ts';

/** A topology the nemesis can break and whose events (failovers, roles) reach the history. */
export type FaultableTopology = Topology &
  FaultSurface & {
    observe(sink: (event: HistoryEvent) => void, now: () => number): void;
    /** Runs after the workload's DDL, before the dataset: pg-partitioned moves tables to its shards here. */
    afterSchema?(): Promise<void>;
    /** Topologies with shards: per-shard load and per-operation fan-out, measured on the shards. */
    readonly placement?: ShardPlacement;
  };

export interface ProvisionedTopology {
  readonly topology: FaultableTopology;
  /** Strings that must never appear in logs or reports (the per-run password). */
  readonly secrets: readonly string[];
  readonly engineVersion: string;
  readonly provider: LocalPgProvider;
}

const NETWORK_FAULTS = new Set(['partition', 'latency', 'bandwidth', 'reset']);

/**
 * Link proxies only when the scenario has network faults: otherwise they would only add their
 * microseconds and a thread's CPU to every measurement, for nothing.
 */
async function networkFor(
  scenario: Scenario,
  nodes: readonly { name: string; port: number }[],
  sandbox: RunSandbox,
): Promise<TopologyNetwork> {
  if (scenario.faults.some((fault) => NETWORK_FAULTS.has(fault.kind))) return proxiedNetwork(nodes, sandbox);
  return directNetwork((name) => nodes.find((node) => node.name === name)!.port);
}

/** Maps a scenario's topology to its implementation; nothing is started yet. */
export async function createTopology(scenario: Scenario, sandbox: RunSandbox): Promise<ProvisionedTopology> {
  const provider = await LocalPgProvider.create(sandbox, scenario.provider.binDir);
  const spec = scenario.topology;
  switch (spec.kind) {
    case 'pg-single-leader':
      return {
        topology: new PgSingleLeader(spec, provider, (nodes) => networkFor(scenario, nodes, sandbox)),
        secrets: [provider.password],
        engineVersion: `PostgreSQL ${provider.bin.version}`,
        provider,
      };
    case 'pg-partitioned':
      return {
        topology: new PgPartitioned(spec, provider, (nodes) => networkFor(scenario, nodes, sandbox)),
        secrets: [provider.password],
        engineVersion: `PostgreSQL ${provider.bin.version}`,
        provider,
      };
  }
}
