import type { Scenario } from '../../harness/scenario/schema.ts';
import type { ProviderRecord } from '../../harness/results/results-types.ts';
import type { RunSandbox } from '../../harness/process/run-sandbox.ts';
import type { DbNode, Endpoint } from '../topology.ts';
import type { FaultableTopology } from '../faultable-topology.ts';
import { clientParty } from '../../harness/regions/client-regions.ts';
import { geographyOf } from '../network/geography.ts';
import { hasNetworkFaults } from '../../harness/fault/fault-catalog.ts';
import { LocalPgProvider } from './local/local-pg-provider.ts';
import type { PgServerNode, PgServerProvider } from './pg-server-node.ts';
import { ContainerPgNode } from './containers/container-pg-node.ts';
import { ContainerPgProvider } from './containers/container-pg-provider.ts';
import { containerPgNetwork } from './containers/container-pg-network.ts';
import { withRegionDistances } from './containers/container-region-links.ts';
import { PgSingleLeader } from './single-leader/pg-single-leader.ts';
import { PgPatroni } from './patroni/pg-patroni.ts';
import { PgPatroniContainers } from './patroni/pg-patroni-containers.ts';
import { findPatroniBinaries } from './patroni/patroni-binaries.ts';
import { directPatroniNetwork, proxiedPatroniNetwork, type PatroniPorts } from './patroni/patroni-network.ts';
import { PgPartitioned } from './partitioned/pg-partitioned.ts';
import { PgMultiLeader } from './multi-leader/pg-multi-leader.ts';
import { PgRegionalCentral } from './regional/pg-regional-central.ts';
import { directNetwork } from '../network/direct-network.ts';
import { proxiedNetwork } from '../network/proxied-network.ts';
import type { TopologyNetwork } from '../network/topology-network.ts';

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
      if (spec.failover.mode === 'patroni' && scenario.provider.kind === 'containers') {
        const provider = await pgProvider(scenario, sandbox, signal);
        if (!(provider instanceof ContainerPgProvider)) throw new Error('failover.mode patroni in containers needs the containers provider');
        const topology = new PgPatroniContainers(spec, provider, sandbox, (nodes) => pgNetworkFor(scenario, nodes, sandbox, provider, held), signal);
        return { ...provisioned(topology, provider), engineVersion: `${provider.engineVersion} with the image's Patroni and etcd` };
      }
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
