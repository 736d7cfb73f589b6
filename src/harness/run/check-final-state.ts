import pg from 'pg';
import type { Topology } from '../../topologies/topology.ts';
import type { CheckResult } from '../checker/checker-types.ts';
import { runChecks } from '../checker/run-checks.ts';
import { CHECK_NAMES, type CheckName, type Scenario } from '../scenario/schema.ts';
import { REGIONAL_CHECK_NAMES, type RegionalCheckName } from '../scenario/regional-central-schema.ts';
import { assignClientRegions } from '../regions/client-regions.ts';

async function connect(endpoint: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client({ ...endpoint, application_name: 'faultline-check', connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Stands in for a node that cannot be read: every query fails with the node's name and why. */
function unreadableClient(node: string, why: string): pg.ClientBase {
  const fail = () => Promise.reject(new Error(`${node} could not be read at final-state time: ${why}`));
  return { query: fail } as unknown as pg.ClientBase;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/**
 * Runs the scenario's checkers over the history and the final state, after heal and quiesce:
 * the current primary (after any failover) is the authoritative copy, every running node is
 * opened for convergence. A node that is not running or refuses the connection is named with why
 * (ctx.unreadableNodes): the checks that needed it say unknown, never judge fewer nodes silently.
 * `workers`: how many client workers the driver ran; with regions, the checks also count per client region.
 */
export async function checkFinalState(scenario: Scenario, topology: Topology, historyPath: string, workers?: number): Promise<Record<string, CheckResult>> {
  const primary = topology.primary();
  const unreadableNodes: Record<string, string> = {};
  const nodeClients: Record<string, pg.Client> = {};
  await Promise.all(
    topology.nodes.map(async (node) => {
      if (node.state !== 'running') {
        unreadableNodes[node.name] = `not running (${node.state}) after the final heal`;
        return;
      }
      try {
        nodeClients[node.name] = await connect(node.endpoint());
      } catch (error) {
        unreadableNodes[node.name] = `refused the connection: ${firstLine(error)}`;
      }
    }),
  );
  try {
    const finalState = nodeClients[primary.name] ?? unreadableClient(primary.name, unreadableNodes[primary.name] ?? 'no connection');
    // MongoDB-only checks never reach here: the schema refuses them on PostgreSQL topologies.
    const postgres: readonly string[] = [...CHECK_NAMES, ...REGIONAL_CHECK_NAMES];
    const checks = scenario.checks.filter((name): name is CheckName | RegionalCheckName => postgres.includes(name));
    const nodeNames = topology.nodes.map((node) => node.name);
    const copies = topology.copyComparisons?.();
    // The driver's own split (same regions, same worker count), so a worker's region here is the one it ran in.
    const placements = workers === undefined ? undefined : assignClientRegions(scenario.regions, workers);
    return await runChecks(checks, {
      historyPath,
      bounds: scenario.bounds,
      finalState,
      nodeClients,
      nodeNames,
      ...(Object.keys(unreadableNodes).length > 0 ? { unreadableNodes } : {}),
      primaryNode: primary.name,
      ...(copies ? { copyComparisons: copies } : {}),
      ...(placements ? { regionOfWorker: (worker: number) => placements[worker]?.region } : {}),
    });
  } finally {
    await Promise.all(Object.values(nodeClients).map((client) => client.end().catch(() => {})));
  }
}
