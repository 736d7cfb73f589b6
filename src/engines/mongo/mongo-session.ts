import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MongoClient, type Db, type WriteConcernSettings } from 'mongodb';
import { directUri } from '../../topologies/mongo/admin/mongo-uri.ts';
import { withMongoClient } from '../../topologies/mongo/admin/with-mongo-client.ts';
import type { MongoTopology } from '../../topologies/mongo/create-mongo-topology.ts';
import { MONGO_DATABASE, type MongoNode } from '../../topologies/mongo/mongo-node.ts';
import type { CheckResult } from '../../harness/checker/checker-types.ts';
import { runMongoChecks, type ConvergenceGroup } from './checks/mongo-checks.ts';
import { CausalToken } from './driver/causal-token.ts';
import { MongoWorkerConnection, type MongoClientSettings } from './driver/mongo-worker-connection.ts';
import type { WorkerConnections } from '../../harness/driver/op-connection.ts';
import type { WriteConcernSpec } from '../../harness/scenario/mongo-schema.ts';
import type { Scenario } from '../../harness/scenario/schema.ts';
import { createMongoEcommerceWorkload } from './workload/mongo-workload.ts';
import type { DatasetSummary, Workload } from '../../harness/workload/workload-types.ts';

/** What a MongoDB run does differently from a PostgreSQL one; run-scenario.ts calls these in its sequence. */
export interface MongoRunHooks {
  readonly workload: Workload<unknown, unknown>;
  createSchema(): Promise<void>;
  /** Stops between batches when `signal` aborts (Ctrl-C). */
  loadDataset(signal?: AbortSignal): Promise<DatasetSummary>;
  openConnections(worker: number): WorkerConnections;
  /** The scenario's checks on the final state; also writes shard-distribution.json beside the history for mongo-sharded. */
  check(historyPath: string): Promise<Record<string, CheckResult>>;
}

export function driverWriteConcern(spec: WriteConcernSpec): WriteConcernSettings {
  return { w: spec.w, journal: spec.j, wtimeoutMS: spec.wtimeout };
}

/** Where schema, dataset and final state are read: the replica set's primary, or the first router. */
function entry(topology: MongoTopology): MongoNode {
  return topology.primary();
}

async function withDbs<T>(nodes: readonly MongoNode[], work: (dbs: Record<string, Db>) => Promise<T>): Promise<T> {
  const clients = new Map<string, MongoClient>();
  try {
    const dbs: Record<string, Db> = {};
    for (const node of nodes) {
      const client = new MongoClient(directUri(node.adminEndpoint()), { serverSelectionTimeoutMS: 5_000, appName: 'faultline-check' });
      clients.set(node.name, client);
      dbs[node.name] = client.db(MONGO_DATABASE);
    }
    return await work(dbs);
  } finally {
    await Promise.all([...clients.values()].map((client) => client.close(true).catch(() => {})));
  }
}

function convergenceGroups(topology: MongoTopology): MongoNode[][] {
  return topology.kind === 'mongo-replica-set' ? [topology.convergentMembers()] : topology.shardGroups();
}

export function mongoRunHooks(scenario: Scenario, topology: MongoTopology): MongoRunHooks {
  const spec = scenario.topology;
  if (spec.kind !== 'mongo-replica-set' && spec.kind !== 'mongo-sharded') throw new Error(`${spec.kind} is not a MongoDB topology`);
  const workload = createMongoEcommerceWorkload(scenario.workload, scenario.seed) as Workload<unknown, unknown>;
  const writeConcern = driverWriteConcern(spec.writeConcern);
  const settings = (readPreference: MongoClientSettings['readPreference']): MongoClientSettings => ({ readPreference, readConcern: spec.readConcern, writeConcern });
  const onEntry = <T>(work: (db: Db) => Promise<T>) => withMongoClient(entry(topology).adminEndpoint(), (client) => work(client.db(MONGO_DATABASE)));
  return {
    workload,
    createSchema: () => onEntry((db) => workload.createSchema(db)),
    loadDataset: (signal) => onEntry((db) => workload.loadDataset(db, signal)),
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
    async check(historyPath) {
      if (topology.kind === 'mongo-sharded') {
        const report = await topology.distribution.stop();
        await writeFile(join(dirname(historyPath), 'shard-distribution.json'), `${JSON.stringify(report, null, 2)}\n`);
      }
      const groups = convergenceGroups(topology);
      return withDbs([entry(topology), ...groups.flat()], async (dbs) => {
        const convergence: ConvergenceGroup[] = groups.map((members) => ({
          reference: (members.find((node) => node.role === 'primary') ?? members[0])?.name ?? '',
          members: Object.fromEntries(members.map((node) => [node.name, dbs[node.name]!])),
        }));
        return runMongoChecks(scenario.checks, { historyPath, finalState: dbs[entry(topology).name]!, groups: convergence, causal: spec.causalConsistency, bounds: scenario.bounds });
      });
    },
  };
}
