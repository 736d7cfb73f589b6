import type pg from 'pg';
import { sqlState } from '../../../../harness/workload/ecommerce/classify-error.ts';
import type { PgServerNode } from '../../pg-server-node.ts';
import { withPgClient } from '../../with-pg-client.ts';
import { quoteLiteral } from '../partition-ddl.ts';
import { readDecisions } from './decision-log.ts';
import { GID_PATTERN } from './gid.ts';
import type { PreparedXact, RecoverySource } from './in-doubt-recovery.ts';

// Recovery against the real nodes, over each node's private socket: the harness's control plane,
// which no network fault cuts, so a pass never hangs on a partition. A node that is down is
// skipped; the next pass (every restart, and one before the checks) asks it again.

const CONNECT_MS = 2_000;
const STATEMENT_MS = 5_000;
const NO_SUCH_PREPARED = '42704';

function withNode<T>(node: PgServerNode, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const config = {
    ...node.adminConfig(),
    application_name: 'faultline-2pc-recovery',
    connectionTimeoutMillis: CONNECT_MS,
    statement_timeout: STATEMENT_MS,
    query_timeout: STATEMENT_MS + 1_000,
  };
  return withPgClient(config, work);
}

export function pgRecoverySource(nodes: () => readonly PgServerNode[], coordinator: () => PgServerNode): RecoverySource {
  const byName = (name: string) => nodes().find((n) => n.name === name);
  return {
    async listPrepared(): Promise<PreparedXact[]> {
      const running = nodes().filter((node) => node.state === 'running');
      const lists = await Promise.all(
        running.map((node) =>
          withNode(node, async (client) => {
            const result = await client.query<{ gid: string }>(
              'SELECT gid FROM pg_prepared_xacts WHERE gid LIKE $1 AND database = current_database() ORDER BY prepared',
              [GID_PATTERN],
            );
            return result.rows.map((row) => ({ node: node.name, gid: row.gid }));
          }).catch(() => [] as PreparedXact[]),
        ),
      );
      return lists.flat();
    },
    decided(gids) {
      return withNode(coordinator(), (client) => readDecisions(client, gids));
    },
    async finish(xact, commit) {
      const node = byName(xact.node);
      if (!node) throw new Error(`no node named ${xact.node}`);
      return withNode(node, async (client) => {
        try {
          await client.query(`${commit ? 'COMMIT' : 'ROLLBACK'} PREPARED ${quoteLiteral(xact.gid)}`);
          return true;
        } catch (error) {
          if (sqlState(error) === NO_SUCH_PREPARED) return false;
          throw error;
        }
      });
    },
  };
}
