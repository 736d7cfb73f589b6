import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MongoClient, type Db, type WriteConcernSettings } from 'mongodb';
import type { NodeState } from '../../harness/checker/final-state.ts';
import type { Scenario } from '../../harness/scenario/schema.ts';
import type { WriteConcernSpec } from '../../harness/scenario/mongo-schema.ts';
import type { Workload } from '../../harness/workload/workload-types.ts';
import { directUri } from '../../topologies/mongo/admin/mongo-uri.ts';
import { withMongoClient } from '../../topologies/mongo/admin/with-mongo-client.ts';
import type { MongoTopology } from '../../topologies/mongo/create-mongo-topology.ts';
import { MONGO_DATABASE, type MongoNode, type MongoProvider } from '../../topologies/mongo/mongo-node.ts';
import type { EngineRun, FinalState, OwnConnections } from '../engine.ts';
import { mongoCheckSet } from './checks/mongo-checks.ts';
import { mongoNodeState } from './checks/mongo-final-state.ts';
import { CausalToken } from './driver/causal-token.ts';
import { MongoWorkerConnection, type MongoClientSettings } from './driver/mongo-worker-connection.ts';
import { MongoLagSampler } from './lag/mongo-lag-sampler.ts';
import { createMongoEcommerceWorkload } from './workload/mongo-workload.ts';

export function driverWriteConcern(spec: WriteConcernSpec): WriteConcernSettings {
  return { w: spec.w, journal: spec.j, wtimeoutMS: spec.wtimeout };
}

/** Where schema, dataset and final state are read: the replica set's primary, or the first router. */
function entry(topology: MongoTopology): MongoNode {
  return topology.primary();
}

/** One client per node, each database handle by node name; closed when the final state is disposed. */
function openDbs(nodes: readonly MongoNode[]): { dbs: Record<string, Db>; close(): Promise<void> } {
  const clients = new Map<string, MongoClient>();
  const dbs: Record<string, Db> = {};
  for (const node of nodes) {
    const client = new MongoClient(directUri(node.adminEndpoint()), { serverSelectionTimeoutMS: 5_000, appName: 'faultline-check' });
    clients.set(node.name, client);
    dbs[node.name] = client.db(MONGO_DATABASE);
  }
  return { dbs, close: async () => void (await Promise.all([...clients.values()].map((client) => client.close(true).catch(() => {})))) };
}

function convergenceGroups(topology: MongoTopology): MongoNode[][] {
  return topology.kind === 'mongo-replica-set' ? [topology.convergentMembers()] : topology.shardGroups();
}

/** A MongoDB topology's run: documents instead of rows, its own worker connections, staleness sampler and checks. */
export function mongoRun(scenario: Scenario, topology: MongoTopology, provider: MongoProvider): EngineRun & OwnConnections {
  const spec = scenario.topology;
  if (spec.kind !== 'mongo-replica-set' && spec.kind !== 'mongo-sharded') throw new Error(`${spec.kind} is not a MongoDB topology`);
  const workload = createMongoEcommerceWorkload(scenario.workload, scenario.seed) as Workload<unknown, unknown>;
  const writeConcern = driverWriteConcern(spec.writeConcern);
  const settings = (readPreference: MongoClientSettings['readPreference']): MongoClientSettings => ({ readPreference, readConcern: spec.readConcern, writeConcern });
  const onEntry = <T>(work: (db: Db) => Promise<T>) => withMongoClient(entry(topology).adminEndpoint(), (client) => work(client.db(MONGO_DATABASE)));
  return {
    topology,
    provider,
    secrets: [provider.password],
    engineVersion: provider.version,
    workload,
    createSchema: () => onEntry((db) => workload.createSchema(db)),
    loadDataset: (signal) => onEntry((db) => workload.loadDataset(db, signal)),
    // Staleness of what clients would read on the secondaries, through the clients' path.
    lagSampler: (sink, now) => (topology.nodes.length < 2 ? undefined : new MongoLagSampler(topology.lagTargets(), sink, now)),
    openConnections(w) {
      const causal = spec.causalConsistency ? new CausalToken() : undefined;
      const { timeouts } = scenario.workload;
      const writes = new MongoWorkerConnection(
        () => {
          const primary = topology.primary();
          return [primary, ...topology.readNodes().filter((node) => node !== primary)];
        },
        settings('primary'),
        timeouts,
        `faultline-w${w}`,
        true,
        causal,
      );
      const reads = new MongoWorkerConnection(
        () => {
          const nodes = topology.readNodes();
          return [nodes[w % nodes.length]!];
        },
        settings(spec.readPreference),
        timeouts,
        `faultline-r${w}`,
        false,
        causal,
      );
      return { writes, reads };
    },
    async readFinalState(historyPath): Promise<FinalState> {
      // mongo-sharded: where the chunks ended, beside the history.
      if (topology.kind === 'mongo-sharded') {
        const report = await topology.distribution.stop();
        await writeFile(join(dirname(historyPath), 'shard-distribution.json'), `${JSON.stringify(report, null, 2)}\n`);
      }
      const groups = convergenceGroups(topology);
      const { dbs, close } = openDbs([entry(topology), ...groups.flat()]);
      const nodeStates: Record<string, NodeState> = Object.fromEntries(Object.entries(dbs).map(([name, db]) => [name, mongoNodeState(db)]));
      const convergence = groups.map((members) => ({
        reference: (members.find((node) => node.role === 'primary') ?? members[0])?.name ?? '',
        members: members.map((node) => node.name),
      }));
      return {
        context: { finalState: nodeStates[entry(topology).name]!, nodeStates },
        checks: mongoCheckSet(convergence, spec.causalConsistency),
        [Symbol.asyncDispose]: close,
      };
    },
  };
}
