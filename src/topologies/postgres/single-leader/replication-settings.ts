import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import { conninfo, type PgSettings } from '../local/pg-config.ts';
import { TEMPLATE_USER } from '../local/pg-template.ts';

type SingleLeaderSpec = Extract<TopologySpec, { kind: 'pg-single-leader' }>;

/**
 * What the primary needs for a replication mode. Standbys are matched by application_name,
 * which each replica sets in its primary_conninfo (the default "walreceiver" matches nothing).
 */
export function primaryReplicationSettings(spec: SingleLeaderSpec, replicaNames: readonly string[]): PgSettings {
  if (spec.replication === 'async' || replicaNames.length === 0) {
    return { synchronous_standby_names: '', synchronous_commit: 'on' };
  }
  const k = Math.min(spec.syncCount, replicaNames.length);
  const list = replicaNames.map((name) => `"${name}"`).join(', ');
  const method = spec.replication === 'quorum' ? 'ANY' : 'FIRST';
  return {
    synchronous_standby_names: `${method} ${k} (${list})`,
    synchronous_commit: spec.replication === 'remote_apply' ? 'remote_apply' : 'on',
  };
}

export function slotName(replica: string): string {
  return `slot_${replica.replace(/[^a-z0-9_]/g, '_')}`;
}

/**
 * A standby's upstream settings: reach the primary at `host`:`port` (the replica->primary link, so
 * faults on it cut replication), by application_name for synchronous matching, on its own slot,
 * with keepalives so a cut link is noticed in seconds. Used by every topology with standbys.
 */
export function standbySettings(replica: { readonly name: string; readonly passfile: string }, port: number, host = '127.0.0.1'): PgSettings {
  return {
    primary_conninfo: conninfo({
      host,
      port,
      user: TEMPLATE_USER,
      passfile: replica.passfile,
      application_name: replica.name,
      keepalives_idle: 2,
      keepalives_interval: 1,
      keepalives_count: 3,
      connect_timeout: 2,
    }),
    primary_slot_name: slotName(replica.name),
  };
}
