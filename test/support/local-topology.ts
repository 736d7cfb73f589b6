import { randomBytes } from 'node:crypto';
import { RunSandbox } from '../../src/harness/process/run-sandbox.ts';
import type { z } from 'zod';
import { type PgSingleLeader as PgSingleLeaderSpec, Scenario } from '../../src/harness/scenario/schema.ts';
import { createTopology } from '../../src/topologies/postgres/create-pg-topology.ts';
import type { LocalPgNode } from '../../src/topologies/postgres/local/local-pg-node.ts';
import { LocalPgProvider } from '../../src/topologies/postgres/local/local-pg-provider.ts';
import { PgSingleLeader } from '../../src/topologies/postgres/single-leader/pg-single-leader.ts';

// Real servers for integration tests, brought up exactly as `faultline run` does: a RunSandbox
// (run directory + watchdog, so even a crashed test worker leaves no server behind), the local
// provider, and the topology from a parsed scenario, which also sets the per-run password.

/** The scenario's pg-single-leader topology, as written in YAML (defaults apply). */
export type SingleLeaderInput = Omit<z.input<typeof PgSingleLeaderSpec>, 'kind'>;

export interface LocalTopology {
  readonly sandbox: RunSandbox;
  readonly provider: LocalPgProvider;
  readonly topology: PgSingleLeader<LocalPgNode>;
  /** The run's password: what the endpoints carry, and what must never reach a report. */
  readonly password: string;
  [Symbol.asyncDispose](): Promise<void>;
}

export function testRunId(label: string): string {
  return `test-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export async function startLocalTopology(spec: SingleLeaderInput = {}, label = 'topology'): Promise<LocalTopology> {
  const scenario = Scenario.parse({
    name: 'integration-test',
    description: 'servers for an integration test',
    topology: { kind: 'pg-single-leader', ...spec },
  });
  const sandbox = await RunSandbox.create(testRunId(label));
  let provisioned: Awaited<ReturnType<typeof createTopology>> | undefined;
  const dispose = async () => {
    try {
      if (provisioned) {
        await provisioned.topology[Symbol.asyncDispose]();
        await provisioned.provider[Symbol.asyncDispose]();
      }
    } finally {
      // The watchdog kills whatever is left and removes the run directory.
      await sandbox[Symbol.asyncDispose]();
    }
  };
  try {
    provisioned = await createTopology(scenario, sandbox);
    const { topology, provider } = provisioned;
    if (!(topology instanceof PgSingleLeader)) throw new Error(`unexpected topology ${topology.kind}`);
    if (!(provider instanceof LocalPgProvider)) throw new Error(`unexpected provider ${provider.kind}`);
    const local = topology as PgSingleLeader<LocalPgNode>;
    await local.start();
    return { sandbox, provider, topology: local, password: provider.password, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
