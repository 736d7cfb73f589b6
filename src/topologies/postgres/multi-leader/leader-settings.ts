import type { ConflictResolution } from '../../../harness/scenario/schema.ts';
import type { PgSettings } from '../local/pg-config.ts';

// What every leader needs in postgresql.conf for pglogical, and the names pglogical objects get.

export function leaderSettings(resolution: ConflictResolution): PgSettings {
  return {
    shared_preload_libraries: 'pglogical',
    wal_level: 'logical',
    // last/first_update_wins compare commit timestamps; pglogical refuses them without this.
    track_commit_timestamp: true,
    // A supervisor, a manager per database and an apply worker per subscription, beside PostgreSQL's own.
    max_worker_processes: 16,
    'pglogical.conflict_resolution': resolution,
    // pglogical counts conflicts nowhere queryable: a LOG line per conflict is what we count.
    'pglogical.conflict_log_level': 'LOG',
  };
}

/** pglogical node name: the region, in identifier characters. */
export function pglogicalNodeName(leader: string): string {
  return leader.replaceAll('-', '_');
}

/** The subscription on `subscriber` that applies `provider`'s changes; also its walsender's application_name. */
export function subscriptionName(subscriber: string, provider: string): string {
  return `${pglogicalNodeName(subscriber)}_from_${pglogicalNodeName(provider)}`;
}

/** Replication direction as reports name it. */
export function directionName(from: string, to: string): string {
  return `${from}->${to}`;
}
