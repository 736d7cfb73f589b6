import type { Endpoint } from '../../src/topologies/topology.ts';
import { startLocalTopology } from './local-topology.ts';

/**
 * One throwaway PostgreSQL server (a single-node pg-single-leader topology) for an integration
 * test, started by the real local provider: loopback only, private socket directory, per-run
 * password, reaped by the run's watchdog even if the test process dies.
 */
export async function startScratchPostgres(): Promise<{ endpoint: Endpoint; [Symbol.asyncDispose](): Promise<void> }> {
  const servers = await startLocalTopology({ replicas: 0 }, 'scratch');
  return {
    endpoint: servers.topology.primary().endpoint(),
    [Symbol.asyncDispose]: () => servers[Symbol.asyncDispose](),
  };
}
