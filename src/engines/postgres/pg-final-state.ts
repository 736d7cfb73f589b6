import pg from 'pg';
import type { NodeState } from '../../harness/checker/final-state.ts';
import type { Topology } from '../../topologies/topology.ts';
import { pgNodeState } from '../../topologies/postgres/final-state/pg-node-state.ts';
import type { FinalState } from '../engine.ts';

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
 * Every node of a PostgreSQL topology after heal and quiesce: the current primary (after any
 * failover) is the authoritative copy, every running node is opened for convergence. A node that
 * is not running or refuses the connection is named with why (unreadableNodes): the checks that
 * needed it say unknown, never judge fewer nodes silently.
 */
export async function readPgFinalState(topology: Topology): Promise<FinalState> {
  const primary = topology.primary();
  const unreadableNodes: Record<string, string> = {};
  const clients: Record<string, pg.Client> = {};
  await Promise.all(
    topology.nodes.map(async (node) => {
      if (node.state !== 'running') {
        unreadableNodes[node.name] = `not running (${node.state}) after the final heal`;
        return;
      }
      try {
        clients[node.name] = await connect(node.endpoint());
      } catch (error) {
        unreadableNodes[node.name] = `refused the connection: ${firstLine(error)}`;
      }
    }),
  );
  const nodeStates: Record<string, NodeState> = Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, pgNodeState(client)]));
  const copies = topology.copyComparisons?.();
  return {
    context: {
      finalState: nodeStates[primary.name] ?? pgNodeState(unreadableClient(primary.name, unreadableNodes[primary.name] ?? 'no connection')),
      nodeStates,
      nodeNames: topology.nodes.map((node) => node.name),
      ...(Object.keys(unreadableNodes).length > 0 ? { unreadableNodes } : {}),
      primaryNode: primary.name,
      ...(copies ? { copyComparisons: copies } : {}),
    },
    [Symbol.asyncDispose]: async () => {
      await Promise.all(Object.values(clients).map((client) => client.end().catch(() => {})));
    },
  };
}
