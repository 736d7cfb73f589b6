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

/**
 * Runs the scenario's checkers over the history and the final state, after heal and quiesce:
 * the current primary (after any failover) is the authoritative copy, every running node is
 * opened for convergence. A node that cannot be reached is left out, and says so.
 * `workers`: how many client workers the driver ran; with regions, the checks also count per client region.
 */
export async function checkFinalState(scenario: Scenario, topology: Topology, historyPath: string, workers?: number): Promise<Record<string, CheckResult>> {
  const primary = topology.primary();
  const running = topology.nodes.filter((node) => node.state === 'running');
  const opened = await Promise.allSettled(running.map(async (node) => [node.name, await connect(node.endpoint())] as const));
  const nodeClients: Record<string, pg.Client> = Object.fromEntries(
    opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
  );
  const extra: pg.Client[] = [];
  try {
    let finalState = nodeClients[primary.name];
    if (!finalState) extra.push((finalState = await connect(primary.endpoint())));
    // MongoDB-only checks never reach here: the schema refuses them on PostgreSQL topologies.
    const postgres: readonly string[] = [...CHECK_NAMES, ...REGIONAL_CHECK_NAMES];
    const checks = scenario.checks.filter((name): name is CheckName | RegionalCheckName => postgres.includes(name));
    const nodeNames = topology.nodes.map((node) => node.name);
    const copies = topology.copyComparisons?.();
    // The driver's own split (same regions, same worker count), so a worker's region here is the one it ran in.
    const placements = workers === undefined ? undefined : assignClientRegions(scenario.regions, workers);
    return await runChecks(checks, {
      historyPath,
      finalState,
      nodeClients,
      nodeNames,
      primaryNode: primary.name,
      ...(copies ? { copyComparisons: copies } : {}),
      ...(placements ? { regionOfWorker: (worker: number) => placements[worker]?.region } : {}),
    });
  } finally {
    await Promise.all([...Object.values(nodeClients), ...extra].map((client) => client.end().catch(() => {})));
  }
}
