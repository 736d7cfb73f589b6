import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../../harness/output/errors.ts';

// pglogical, one leader at a time, over an administrative connection. Every leader already holds
// the same schema and the same seeded rows (DDL is not replicated, and loading each leader is
// faster than copying), so subscriptions copy nothing and only stream what happens next.

export interface LeaderSetup {
  readonly nodeName: string;
  /** How the leader's own pglogical node is reached (libpq conninfo). */
  readonly dsn: string;
  readonly tables: readonly string[];
}

export async function prepareLeader(admin: pg.ClientBase, setup: LeaderSetup): Promise<void> {
  await admin.query('CREATE EXTENSION IF NOT EXISTS pglogical');
  // Each leader loaded the dataset itself, so its rows carry a local commit timestamp and
  // pglogical would call the first remote change to every one of them a conflict. Frozen rows
  // have no commit timestamp: only rows the workload changes on two leaders are compared.
  for (const table of setup.tables) await admin.query(`VACUUM (FREEZE) ${quoteIdent(table)}`);
  await admin.query('SELECT pglogical.create_node(node_name := $1, dsn := $2)', [setup.nodeName, setup.dsn]);
  for (const table of setup.tables) {
    await admin.query("SELECT pglogical.replication_set_add_table('default', $1::regclass, synchronize_data := false)", [table]);
  }
}

export async function subscribe(admin: pg.ClientBase, name: string, providerDsn: string): Promise<void> {
  await admin.query(
    `SELECT pglogical.create_subscription(
       subscription_name := $1, provider_dsn := $2, replication_sets := ARRAY['default'],
       synchronize_structure := false, synchronize_data := false, forward_origins := '{}')`,
    [name, providerDsn],
  );
}

/** Waits until each named subscription on this leader streams; throws with their states otherwise. */
export async function waitReplicating(admin: pg.ClientBase, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await admin.query<{ subscription_name: string; status: string }>(
      'SELECT subscription_name, status FROM pglogical.show_subscription_status()',
    );
    const replicating = new Set(rows.filter((r) => r.status === 'replicating').map((r) => r.subscription_name));
    if (names.every((name) => replicating.has(name))) return;
    if (Date.now() > deadline) {
      throw new EngineError(`pglogical subscriptions not replicating after ${timeoutMs} ms: ${JSON.stringify(rows)}; see the leaders' logs`);
    }
    await sleep(20);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
