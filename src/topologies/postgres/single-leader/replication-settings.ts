import type { TopologySpec } from '../../../harness/scenario/schema.ts';
import type { PgSettings } from '../local/pg-config.ts';

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
