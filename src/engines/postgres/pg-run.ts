import type pg from 'pg';
import { LagSampler, HEARTBEAT_DDL } from '../../harness/metrics/lag-sampler.ts';
import type { Scenario } from '../../harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../../harness/workload/ecommerce/ecommerce-workload.ts';
import type { Workload } from '../../harness/workload/workload-types.ts';
import type { ProvisionedTopology } from '../../topologies/postgres/create-pg-topology.ts';
import { withPgClient } from '../../topologies/postgres/with-pg-client.ts';
import type { Endpoint } from '../../topologies/topology.ts';
import type { EngineRun, RegionalEndpoints } from '../engine.ts';
import { readPgFinalState } from './pg-final-state.ts';
import { pgThreadWorkload } from './pg-thread-workload.ts';

function withClient<T>(endpoint: Endpoint, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPgClient({ ...endpoint, application_name: 'faultline-admin' }, work);
}

/** A PostgreSQL topology's run: the e-commerce schema and COPY dataset on each dataset node, heartbeats, final state over pg. */
export function pgRun(scenario: Scenario, provisioned: ProvisionedTopology): EngineRun & RegionalEndpoints {
  const { topology } = provisioned;
  const workload = createEcommerceWorkload(scenario.workload, scenario.seed);
  // Nodes that each get the schema and the whole seeded dataset: the primary, or every leader/region where replication copies no DDL.
  const datasetNodes = () => topology.datasetNodes?.() ?? [topology.primary()];
  const placement = topology.placement;
  return {
    topology,
    provider: provisioned.provider,
    secrets: provisioned.secrets,
    engineVersion: provisioned.engineVersion,
    ...(provisioned.runsOn ? { runsOn: provisioned.runsOn } : {}),
    // pg-partitioned: checkout commits as the scenario's distributedCommit says (plain FDW or 2pc).
    workload: (topology.distributedCommit?.wrap(workload, scenario.workload.timeouts) ?? workload) as Workload<unknown, unknown>,
    // A distributed commit is driven from the run's thread (its kill at the commit point), so pg-partitioned loads in one (engine-rules.ts).
    ...(topology.distributedCommit ? {} : { threadWorkload: pgThreadWorkload(scenario) }),
    async createSchema() {
      for (const node of datasetNodes()) {
        await withClient(node.endpoint(), async (client) => {
          await workload.createSchema(client);
          await client.query(HEARTBEAT_DDL);
        });
      }
      // A topology may rearrange the workload's tables before any row exists (pg-partitioned moves them to shards).
      await topology.afterSchema?.();
    },
    async loadDataset(signal) {
      // Same seed, same rows on every node: each gets the whole dataset. The COPY pipeline yields and stops on Ctrl-C (copy-load.ts).
      // The topology's afterLoad runs after it (runScenario), outside the race against Ctrl-C.
      const loads = await Promise.all(datasetNodes().map((node) => withClient(node.endpoint(), (client) => workload.loadDataset(client, signal))));
      return loads[0]!;
    },
    lagSampler: (sink, now) => (topology.nodes.length < 2 ? undefined : (topology.lagSampler?.(sink, now) ?? new LagSampler(topology, sink, now))),
    endpointFor: (node, region) => provisioned.endpointFor(node, region),
    readFinalState: () => readPgFinalState(topology),
    // After the checks: the fan-out probes run real operations (the plain workload), which the checkers must not see.
    ...(placement ? { measureFanout: (operations) => placement.measureFanout(workload, operations) } : {}),
  };
}
