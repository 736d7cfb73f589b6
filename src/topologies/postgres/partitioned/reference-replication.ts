import { setTimeout as sleep } from 'node:timers/promises';
import type { PgServerNode } from '../pg-server-node.ts';
import { conninfo, type PgSettings } from '../local/pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';
import { withAdmin } from '../single-leader/replication-admin.ts';
import { copiesShowMarker } from '../replication-marker.ts';
import { quoteIdent } from './partition-ddl.ts';

// Reference tables: authoritative on the coordinator (every write lands there, so ON CONFLICT and
// row locking work as on a single server) and copied to every shard by PostgreSQL's native
// logical replication: one publication on the coordinator, one subscription per shard, which
// first copies the loaded rows and then applies each later change in commit order.

export const REFERENCE_PUBLICATION = 'faultline_reference';
export const referenceSubscription = (shard: string): string => `faultline_reference_${shard.replace(/[^a-z0-9_]/g, '_')}`;

/**
 * Heartbeats of every copy the layout makes, one row per source: `coordinator` (published with
 * the reference tables, so each shard's row says how far its copy got) and each shard with
 * replicas (never published; its replicas' row says how far they got). A shard holds both kinds
 * under different keys, so the subscription never touches a shard's own row.
 */
export const COPY_HEARTBEAT_TABLE = 'faultline_copy_heartbeat';
export const COPY_HEARTBEAT_DDL = `CREATE TABLE IF NOT EXISTS ${COPY_HEARTBEAT_TABLE} (source text PRIMARY KEY, seq bigint NOT NULL, at timestamptz NOT NULL)`;
export const COORDINATOR_SOURCE = 'coordinator';
/** quiesce() round-trips its markers through their own rows, so the sampler's sequences stay untouched. */
const markerOf = (source: string): string => `${source}#marker`;

/** A shard copies every reference table at once: a table sync worker each (and a standby needs the same worker room). */
export const SUBSCRIBER_SETTINGS: PgSettings = { max_sync_workers_per_subscription: 8, max_logical_replication_workers: 12, max_worker_processes: 24 };

/** Logical decoding on the coordinator, and a slot and sender per subscription plus its table syncs. */
export function publisherSettings(shards: number): PgSettings {
  const room = Math.max(20, 4 * shards + 4);
  return { wal_level: 'logical', max_replication_slots: room, max_wal_senders: room };
}

export async function publishReference(coordinator: PgServerNode, tables: readonly string[]): Promise<void> {
  const list = [...tables, COPY_HEARTBEAT_TABLE].map(quoteIdent).join(', ');
  await withAdmin(coordinator, (admin) => admin.query(`CREATE PUBLICATION ${REFERENCE_PUBLICATION} FOR TABLE ${list}`));
}

/**
 * Subscribes a shard, copying the rows already loaded. `port` is the shard->coordinator link, so
 * a fault on it cuts this replication and nothing else.
 */
export async function subscribeShard(shard: PgServerNode, port: number, host = '127.0.0.1'): Promise<void> {
  const name = referenceSubscription(shard.name);
  const connection = conninfo({
    host,
    port,
    user: TEMPLATE_USER,
    dbname: TEMPLATE_DATABASE,
    // The password stays in the shard's 0600 passfile; never in pg_subscription.
    passfile: shard.passfile,
    application_name: name,
    connect_timeout: 2,
    keepalives_idle: 2,
    keepalives_interval: 1,
    keepalives_count: 3,
  });
  await withAdmin(
    shard,
    (admin) => admin.query(`CREATE SUBSCRIPTION ${name} CONNECTION ${admin.escapeLiteral(connection)} PUBLICATION ${REFERENCE_PUBLICATION} WITH (copy_data = true)`),
    30_000,
  );
}

/** Waits until the initial copy of every published table is done on the shard; false on timeout. */
export async function waitCopied(shard: PgServerNode, timeoutMs: number): Promise<boolean> {
  return withAdmin(
    shard,
    async (admin) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await admin.query<{ pending: string; tables: string }>(
          "SELECT count(*) FILTER (WHERE srsubstate <> 'r')::text AS pending, count(*)::text AS tables FROM pg_subscription_rel",
        );
        if (Number(rows[0]!.tables) > 0 && Number(rows[0]!.pending) === 0) return true;
        if (Date.now() > deadline) return false;
        await sleep(20);
      }
    },
    timeoutMs + 5_000,
  );
}

/**
 * True once every copy shows a marker committed on `source` now: replication applies the
 * source's transactions in commit order, so each copy then has everything the source had.
 */
export function copiesCaughtUp(source: PgServerNode, copies: readonly PgServerNode[], timeoutMs: number): Promise<boolean> {
  return copiesShowMarker(source, copies, { table: COPY_HEARTBEAT_TABLE, keyColumn: 'source' }, markerOf(source.name), timeoutMs);
}
