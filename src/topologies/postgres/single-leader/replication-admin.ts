import type pg from 'pg';
import { withPgClient } from '../with-pg-client.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PgServerNode } from '../pg-server-node.ts';
import { slotName } from './replication-settings.ts';
import { EngineError } from '../../../harness/output/errors.ts';

// Administrative SQL for streaming replication. It goes through each node's admin path (a local
// node's private socket, a container's published port), never through a link the nemesis can
// cut: the harness's control plane must not be cut by the faults it injects.

export function withAdmin<T>(node: PgServerNode, work: (client: pg.Client) => Promise<T>, timeoutMs = 10_000): Promise<T> {
  return withPgClient({ ...node.adminConfig(), connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs }, work);
}

export async function ensureSlots(primary: PgServerNode, standbys: readonly string[]): Promise<void> {
  await withAdmin(primary, async (admin) => {
    // No standby may be connected yet: in sync modes a normal commit here could wait forever.
    await admin.query('SET synchronous_commit = local');
    for (const name of standbys) {
      await admin.query(
        `SELECT pg_create_physical_replication_slot($1, true)
          WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)`,
        [slotName(name)],
      );
    }
  });
}

/** How far a standby got: the further of its received and replayed WAL positions, as a comparable number. */
export async function receivedLsn(node: PgServerNode): Promise<bigint> {
  return withAdmin(
    node,
    async (admin) => {
      const { rows } = await admin.query<{ lsn: string | null }>(
        // The further of received and replayed: a walreceiver that restarts (its upstream gone,
        // or repointed to a new primary) reports the start of the segment it asks for, behind
        // what the standby already replayed. Taken alone it once hid a standby that had gone past
        // a failover's fork point, which then never streamed again (convergence invalid).
        `SELECT (greatest(coalesce(pg_last_wal_receive_lsn(), '0/0'), coalesce(pg_last_wal_replay_lsn(), '0/0')) - '0/0')::text AS lsn`,
      );
      return BigInt(rows[0]?.lsn?.split('.')[0] ?? '0');
    },
    3_000,
  );
}

/**
 * Which synchronous roles to wait for: none; `some` standby synchronous (Patroni names only the one
 * it picked); or `every` named standby with a synchronous priority (sync, potential or quorum). The
 * last matters after a reload of synchronous_standby_names: each walsender re-reads it on its own,
 * so for a moment one standby is already `quorum` while another still reports `async`.
 */
export type SyncWait = 'none' | 'some' | 'every';

/** Waits until every named standby streams from `primary`, with the synchronous roles asked for. */
export async function waitStreaming(
  primary: PgServerNode,
  standbys: readonly string[],
  sync: SyncWait,
  timeoutMs = 60_000,
  signal?: AbortSignal,
): Promise<void> {
  if (standbys.length === 0) return;
  await withAdmin(primary, async (admin) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      const { rows } = await admin.query<{ application_name: string; state: string; sync_state: string }>(
        'SELECT application_name, state, sync_state FROM pg_stat_replication',
      );
      const streaming = new Set(rows.filter((r) => r.state === 'streaming').map((r) => r.application_name));
      const syncOk =
        sync === 'none' ||
        (sync === 'some'
          ? rows.some((r) => r.sync_state === 'sync' || r.sync_state === 'quorum')
          : standbys.every((name) => rows.some((r) => r.application_name === name && r.sync_state !== 'async')));
      if (standbys.every((name) => streaming.has(name)) && syncOk) return;
      if (Date.now() > deadline) {
        throw new EngineError(`replicas not streaming after ${timeoutMs} ms: ${JSON.stringify(rows)}; see the replica logs`);
      }
      await sleep(10);
    }
  });
}

/** The timeline a primary writes on, from the name of its current WAL file (its first 8 hex digits). */
export async function writeTimeline(primary: PgServerNode): Promise<number> {
  return withAdmin(primary, async (admin) => {
    const { rows } = await admin.query<{ file: string }>('SELECT pg_walfile_name(pg_current_wal_lsn()) AS file');
    return Number.parseInt(rows[0]!.file.slice(0, 8), 16);
  });
}

/**
 * Whether a standby streams on `timeline` (or a later one) now, by its own WAL receiver. Seen from
 * the primary this is ambiguous: a standby that went past a failover's fork point reconnects
 * every second, streams the old timeline up to the fork, is turned away, and shows as streaming
 * in pg_stat_replication for part of each second.
 */
export async function streamsTimeline(standby: PgServerNode, timeline: number): Promise<boolean> {
  return withAdmin(
    standby,
    async (admin) => {
      const { rows } = await admin.query<{ status: string; tli: number }>('SELECT status, received_tli AS tli FROM pg_stat_wal_receiver');
      return rows.some((row) => row.status === 'streaming' && Number(row.tli) >= timeline);
    },
    3_000,
  );
}

/** Waits until the standbys have replayed everything the primary had written; false on timeout. */
export async function waitReplayed(primary: PgServerNode, standbys: readonly string[], timeoutMs: number): Promise<boolean> {
  if (standbys.length === 0) return true;
  return withAdmin(primary, async (admin) => {
    const { rows } = await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    const target = rows[0]!.lsn;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows: state } = await admin.query<{ caught_up: string; connected: string }>(
        `SELECT count(*) FILTER (WHERE replay_lsn >= $2::pg_lsn) AS caught_up, count(*) AS connected
           FROM pg_stat_replication WHERE application_name = ANY($1)`,
        [standbys, target],
      );
      if (Number(state[0]!.caught_up) === standbys.length) return true;
      await sleep(20);
    }
    return false;
  });
}
