import { hasNetworkFaults } from '../../harness/fault/fault-catalog.ts';
import type { RunSandbox } from '../../harness/process/run-sandbox.ts';
import type { MongoReplicaSetSpec, MongoShardedSpec } from '../../harness/scenario/mongo-schema.ts';
import type { Scenario } from '../../harness/scenario/schema.ts';
import { ContainerMongoNode } from './containers/container-mongo-node.ts';
import { ContainerMongoProvider } from './containers/container-mongo-provider.ts';
import { LocalMongoNode } from './local/local-mongo-node.ts';
import { LocalMongoProvider } from './local/local-mongo-provider.ts';
import type { MongoProvider } from './mongo-node.ts';
import { containerLinks } from './network/container-isolation.ts';
import { directMongoNetwork, proxiedMongoNetwork } from './network/mongo-network.ts';
import type { WireNodes } from './network/mongo-wiring.ts';
import { MongoReplicaSet } from './replica-set/mongo-replica-set.ts';
import { MongoSharded } from './sharded/mongo-sharded.ts';

export type MongoTopology = MongoReplicaSet | MongoSharded;

export interface ProvisionedMongo {
  readonly topology: MongoTopology;
  readonly provider: MongoProvider;
}

/** Local processes get link proxies only when the scenario has network faults; containers use Docker's network. */
function wiring(scenario: Scenario, provider: MongoProvider, sandbox: RunSandbox): WireNodes {
  if (provider.kind === 'containers') {
    return async (members, routers) => {
      const nodes = [...members, ...routers].filter((node): node is ContainerMongoNode => node instanceof ContainerMongoNode);
      const { links, linkControl } = containerLinks(nodes);
      return { links: () => links, linkControl, [Symbol.asyncDispose]: async () => {} };
    };
  }
  const faulty = hasNetworkFaults(scenario.faults);
  return async (members, routers) => {
    const local = (list: readonly unknown[]) => list.filter((node): node is LocalMongoNode => node instanceof LocalMongoNode);
    const network = faulty ? await proxiedMongoNetwork(local(members), local(routers), sandbox) : directMongoNetwork([...local(members), ...local(routers)]);
    for (const node of local(members)) {
      node.clientPort = network.clientPort(node.name);
      node.peerPort = network.peerPort(node.name);
    }
    for (const node of local(routers)) node.clientPort = network.clientPort(node.name);
    return network;
  };
}

/** Maps a MongoDB scenario to its topology on the chosen provider; nothing is started yet. */
export async function createMongoTopology(scenario: Scenario, spec: MongoReplicaSetSpec | MongoShardedSpec, sandbox: RunSandbox): Promise<ProvisionedMongo> {
  const choice = scenario.provider;
  const provider: MongoProvider =
    choice.kind === 'containers'
      ? await ContainerMongoProvider.create(sandbox, choice.image, choice.version)
      : await LocalMongoProvider.create(sandbox, undefined, spec.kind === 'mongo-sharded');
  const wire = wiring(scenario, provider, sandbox);
  const topology = spec.kind === 'mongo-replica-set' ? new MongoReplicaSet(spec, provider, wire) : new MongoSharded(spec, provider, wire);
  return { topology, provider };
}
