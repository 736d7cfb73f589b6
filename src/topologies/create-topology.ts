import type { Scenario } from '../harness/scenario/schema.ts';
import type { ProviderRecord } from '../harness/results/results-types.ts';
import type { RunSandbox } from '../harness/process/run-sandbox.ts';
import type { DbNode, Endpoint, Topology } from './topology.ts';
import { clientParty } from '../harness/regions/client-regions.ts';
import { geographyOf } from './network/geography.ts';
import { hasNetworkFaults } from '../harness/fault/fault-catalog.ts';
import type { FaultSurface } from '../harness/fault/fault-surface.ts';
import type { HistoryEvent, LagEvent } from '../harness/history/history-types.ts';
import { LocalPgProvider } from './postgres/local/local-pg-provider.ts';
import type { PgServerNode, PgServerProvider } from './postgres/pg-server-node.ts';
import { ContainerPgNode } from './postgres/containers/container-pg-node.ts';
import { ContainerPgProvider } from './postgres/containers/container-pg-provider.ts';
import { containerPgNetwork } from './postgres/containers/container-pg-network.ts';
import { withRegionDistances } from './postgres/containers/container-region-links.ts';
import { PgSingleLeader } from './postgres/single-leader/pg-single-leader.ts';
import { PgPatroni } from './postgres/patroni/pg-patroni.ts';
import { findPatroniBinaries } from './postgres/patroni/patroni-binaries.ts';
import { directPatroniNetwork, proxiedPatroniNetwork, type PatroniPorts } from './postgres/patroni/patroni-network.ts';
import { PgPartitioned } from './postgres/partitioned/pg-partitioned.ts';
import { PgMultiLeader } from './postgres/multi-leader/pg-multi-leader.ts';
import type { MultiLeaderResults } from '../harness/results/multi-leader-results.ts';
import type { ShardPlacement } from './postgres/partitioned/shard-placement.ts';
import type { DistributedCommit } from './postgres/partitioned/distributed/distributed-commit.ts';
import { PgRegionalCentral } from './postgres/regional/pg-regional-central.ts';
import type { RegionalCentralResults } from './postgres/regional/regional-results.ts';
import { directNetwork } from './network/direct-network.ts';
import { proxiedNetwork } from './network/proxied-network.ts';
import type { TopologyNetwork } from './network/topology-network.ts';

/** A topology the nemesis can break and whose events (failovers, roles) reach the history. */
export type FaultableTopology = Topology &
  FaultSurface & {
    observe(sink: (event: HistoryEvent) => void, now: () => number): void;
    /**
     * Nodes that each get the workload's schema and the whole seeded dataset, in order; the
     * primary alone when omitted. Multi-leader and regional topologies load every node, since
     * neither pglogical nor native logical replication copies DDL.
     */
    datasetNodes?(): readonly DbNode[];
    /** Runs after the workload's DDL, before the dataset: pg-partitioned moves tables to its shards here. */
    afterSchema?(): Promise<void>;
    /** Runs after the dataset is on every dataset node: subscriptions, regional pruning. */
    afterLoad?(): Promise<void>;
    /** Topologies with shards: per-shard load and per-operation fan-out, measured on the shards. */
    readonly placement?: ShardPlacement;
    /** pg-partitioned: distributed checkout (plain or 2pc), in-doubt recovery, kills at the commit point. */
    readonly distributedCommit?: DistributedCommit;
    /**
     * Replaces the run's heartbeat sampler (primary -> replicas) where replication runs otherwise:
     * pg-multi-leader samples every direction between leaders.
     */
    lagSampler?(sink: (event: LagEvent) => void, now: () => number): { start(): void; stop(): Promise<void> };
    /** pg-multi-leader: conflicts, lag per direction, convergence and divergence; after the final quiesce. */
    multiLeaderReport?(): Promise<MultiLeaderResults>;
    /** pg-regional-central: freshness per region (times from `runStart`) and central's analytics; after the checks. */
    regionalReport?(runStart: number): Promise<RegionalCentralResults>;
  };

export interface ProvisionedTopology {
  readonly topology: FaultableTopology;
  /** Strings that must never appear in logs or reports (the per-run password). */
  readonly secrets: readonly string[];
  readonly engineVersion: string;
  readonly provider: PgServerProvider;
  /** For results.json: the provider, and the image when it is containers. */
  readonly runsOn?: ProviderRecord;
  /**
   * Where a client worker of `region` connects to reach `node`: through its region's link, so it
   * pays the distance to the node; unregioned workers (and direct networks) use the node's endpoint.
   */
  endpointFor(node: DbNode, region: string | undefined): Endpoint;
}

/** The network a topology made once it started: client workers are given their region's path through it. */
interface NetworkHolder {
  network?: TopologyNetwork;
}


/**
 * Link proxies only when the scenario has network faults or distances between regions:
 * otherwise they would only add their microseconds and a thread's CPU to every measurement.
 */
async function networkFor(
  scenario: Scenario,
  nodes: readonly { name: string; port: number; region?: string | undefined }[],
  sandbox: RunSandbox,
  held: NetworkHolder,
): Promise<TopologyNetwork> {
  const distant = scenario.latency.some((entry) => entry.delay > 0 || entry.jitter > 0);
  const network =
    hasNetworkFaults(scenario.faults) || distant
      ? await proxiedNetwork(nodes, sandbox, geographyOf(scenario))
      : directNetwork((name) => nodes.find((node) => node.name === name)!.port);
  held.network = network;
  return network;
}

/**
 * Containers: peers on the run's Docker network, clients through the published ports (proxied when
 * faults need it), distances between regions through the link proxy (container-region-links.ts).
 */
async function pgNetworkFor(scenario: Scenario, nodes: readonly PgServerNode[], sandbox: RunSandbox, provider: PgServerProvider, held: NetworkHolder): Promise<TopologyNetwork> {
  const containers = nodes.filter((node): node is ContainerPgNode => node instanceof ContainerPgNode);
  if (containers.length === 0 || !(provider instanceof ContainerPgProvider)) return networkFor(scenario, nodes, sandbox, held);
  const distant = scenario.latency.some((entry) => entry.delay > 0 || entry.jitter > 0);
  const faultable = distant || hasNetworkFaults(scenario.faults);
  const direct = await containerPgNetwork(containers, sandbox, faultable);
  const network = distant
    ? await withRegionDistances(direct, containers, geographyOf(scenario), sandbox, provider.gateway).catch(async (error: unknown) => {
        await direct[Symbol.asyncDispose]();
        throw error;
      })
    : direct;
  held.network = network;
  return network;
}

/** The scenario's provider, for a PostgreSQL topology that runs on either. */
async function pgProvider(scenario: Scenario, sandbox: RunSandbox, signal?: AbortSignal): Promise<PgServerProvider> {
  const choice = scenario.provider;
  if (choice.kind === 'containers') return ContainerPgProvider.create(sandbox, { image: choice.image, version: choice.version, pull: choice.pull }, signal);
  return LocalPgProvider.create(sandbox);
}

function clientEndpoint(network: TopologyNetwork | undefined, node: DbNode, region: string | undefined): Endpoint {
  const endpoint = node.endpoint();
  if (region === undefined || network === undefined) return endpoint;
  try {
    return { ...endpoint, port: network.portOf(clientParty(region), node.name) };
  } catch {
    return endpoint;
  }
}

/** The image as results.json names it: reference, local id, registry digest when it came from one. */
function imageRecord({ ref, id, digest }: ContainerPgProvider['resolved']): NonNullable<ProviderRecord['image']> {
  return { ref, id, ...(digest === undefined ? {} : { digest }) };
}

/** Maps a scenario's topology to its implementation; nothing is started yet. */
export async function createTopology(scenario: Scenario, sandbox: RunSandbox, signal?: AbortSignal): Promise<ProvisionedTopology> {
  const spec = scenario.topology;
  if (spec.kind === 'mongo-replica-set' || spec.kind === 'mongo-sharded') throw new Error(`${spec.kind} is not a PostgreSQL topology`);
  const held: NetworkHolder = {};
  const provisioned = (topology: FaultableTopology, provider: PgServerProvider): ProvisionedTopology => ({
    topology,
    secrets: [provider.password],
    engineVersion: provider.engineVersion,
    provider,
    runsOn: provider instanceof ContainerPgProvider ? { kind: 'containers', image: imageRecord(provider.resolved) } : { kind: provider.kind },
    endpointFor: (node, region) => clientEndpoint(held.network, node, region),
  });
  switch (spec.kind) {
    case 'pg-single-leader': {
      if (spec.failover.mode === 'patroni') {
        const provider = await LocalPgProvider.create(sandbox);
        const bin = findPatroniBinaries();
        const network = (ports: readonly PatroniPorts[]) =>
          hasNetworkFaults(scenario.faults) ? proxiedPatroniNetwork(ports, sandbox) : Promise.resolve(directPatroniNetwork(ports));
        return {
          ...provisioned(new PgPatroni(spec, provider, sandbox, network, signal), provider),
          engineVersion: `${provider.engineVersion} with ${bin.patroniVersion} and ${bin.etcdVersion}`,
        };
      }
      const provider = await pgProvider(scenario, sandbox, signal);
      return provisioned(new PgSingleLeader(spec, provider, (nodes) => pgNetworkFor(scenario, nodes, sandbox, provider, held)), provider);
    }
    case 'pg-partitioned': {
      const provider = await pgProvider(scenario, sandbox, signal);
      return provisioned(new PgPartitioned(spec, provider, (nodes) => pgNetworkFor(scenario, nodes, sandbox, provider, held)), provider);
    }
    case 'pg-multi-leader': {
      const provider = await pgProvider(scenario, sandbox, signal);
      return provisioned(new PgMultiLeader(spec, provider, (nodes) => pgNetworkFor(scenario, nodes, sandbox, provider, held)), provider);
    }
    case 'pg-regional-central': {
      const provider = await pgProvider(scenario, sandbox, signal);
      const topology = new PgRegionalCentral(spec, scenario.regions ?? {}, scenario.workload.dataset.regions, provider, (nodes) =>
        pgNetworkFor(scenario, nodes, sandbox, provider, held),
      );
      return provisioned(topology, provider);
    }
  }
}
