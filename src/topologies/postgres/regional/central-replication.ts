import type { PgServerNode } from '../pg-server-node.ts';
import { conninfo } from '../local/pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';
import { copiesShowMarker } from '../replication-marker.ts';
import { withAdmin } from '../single-leader/replication-admin.ts';
import { markerKey, PUBLICATION, REGION_HEARTBEAT_TABLE, subscriptionName } from './regional-names.ts';

// Native logical replication from each region to central: a publication per region, a
// subscription per region on central. Idempotent by construction: central's apply worker records
// each region's progress (its replication origin) in the same transaction as the rows it applies,
// so after a cut, a crash or a restart it resumes right after the last transaction it committed.

/** Settings for a region's primary: logical decoding on, room for the slots. */
export const REGION_SETTINGS = { wal_level: 'logical' } as const;

/** Settings for central: an apply worker per region, plus the launcher and some spare. */
export function centralSettings(regions: number) {
  return { max_logical_replication_workers: regions + 4, max_worker_processes: regions + 16 } as const;
}

export async function createPublication(primary: PgServerNode, tables: readonly string[]): Promise<void> {
  const list = [...tables, REGION_HEARTBEAT_TABLE].join(', ');
  await withAdmin(primary, (admin) => admin.query(`CREATE PUBLICATION ${PUBLICATION} FOR TABLE ${list}`));
}

/**
 * Subscribes central to one region, without copying: central was loaded with the same dataset
 * and the region's slot starts after its pruning, so only the run's changes flow. `host`:`port`
 * is the central->region link, so faults on that link cut this replication and nothing else.
 */
export async function subscribe(central: PgServerNode, region: string, port: number, host = '127.0.0.1'): Promise<void> {
  const name = subscriptionName(region);
  const connection = conninfo({
    host,
    port,
    user: TEMPLATE_USER,
    dbname: TEMPLATE_DATABASE,
    // The password stays in a 0600 file of central's; never in pg_subscription.
    passfile: central.passfile,
    application_name: name,
    connect_timeout: 2,
    keepalives_idle: 2,
    keepalives_interval: 1,
    keepalives_count: 3,
  });
  await withAdmin(
    central,
    (admin) => admin.query(`CREATE SUBSCRIPTION ${name} CONNECTION ${admin.escapeLiteral(connection)} PUBLICATION ${PUBLICATION} WITH (copy_data = false)`),
    30_000,
  );
}

/**
 * True once central shows a marker committed on the region now: logical replication applies a
 * region's transactions in commit order, so central then has everything the region had.
 */
export function centralCaughtUp(primary: PgServerNode, central: PgServerNode, region: string, timeoutMs: number): Promise<boolean> {
  return copiesShowMarker(primary, [central], { table: REGION_HEARTBEAT_TABLE, keyColumn: 'region' }, markerKey(region), timeoutMs);
}

/** What central's apply workers report, for an error message when a subscription never streams. */
export async function subscriptionStates(central: PgServerNode): Promise<string> {
  const { rows } = await withAdmin(central, (admin) =>
    admin.query('SELECT subname, pid, received_lsn::text, latest_end_lsn::text FROM pg_stat_subscription ORDER BY subname'),
  );
  return JSON.stringify(rows);
}
