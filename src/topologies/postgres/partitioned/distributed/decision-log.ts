import type pg from 'pg';
import type { DecisionLog } from './two-phase-commit.ts';

// The transaction manager's durable memory, a table on the coordinator node. A row is written
// (and committed, synchronously) once every participant has prepared: that commit is the
// distributed transaction's commit point. No row means abort (presumed abort), so an abort
// never needs logging and recovery needs nothing else to decide.

export const DECISION_TABLE = 'faultline_2pc_decisions';

export const DECISION_DDL = `CREATE TABLE IF NOT EXISTS ${DECISION_TABLE} (
  gid text PRIMARY KEY,
  decided_at timestamptz NOT NULL DEFAULT now()
)`;

/** Logs on the given coordinator session, outside any transaction (autocommit: one round trip). */
export function decisionLogOn(client: pg.ClientBase): DecisionLog {
  return {
    async record(gid) {
      await client.query({ name: 'faultline.2pc.decide', text: `INSERT INTO ${DECISION_TABLE} (gid) VALUES ($1)`, values: [gid] });
    },
  };
}

/** Which of `gids` were decided "commit". */
export async function readDecisions(client: pg.ClientBase, gids: readonly string[]): Promise<Set<string>> {
  if (gids.length === 0) return new Set();
  const result = await client.query<{ gid: string }>(`SELECT gid FROM ${DECISION_TABLE} WHERE gid = ANY($1::text[])`, [gids]);
  return new Set(result.rows.map((row) => row.gid));
}
