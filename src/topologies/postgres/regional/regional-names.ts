import { CENTRAL_NODE } from '../../../harness/scenario/regional-central-schema.ts';

// Names of what pg-regional-central creates. A regional primary is named after its region, so
// a fault or a report line that says "seattle" means the node people think of as Seattle.

export { CENTRAL_NODE };

/** Each region publishes under this one name; central subscribes to it once per region. */
export const PUBLICATION = 'faultline_central';

export const replicaName = (region: string, i: number): string => `${region}-replica${i + 1}`;

/** Subscription on central, and the logical slot it owns on the region (the same name). */
export const subscriptionName = (region: string): string => `central_${region.replace(/[^a-z0-9_]/g, '_')}`;

/** Freshness heartbeats: one row per region, written on the region, published to central. */
export const REGION_HEARTBEAT_TABLE = 'faultline_region_heartbeat';
export const REGION_HEARTBEAT_DDL = `CREATE TABLE IF NOT EXISTS ${REGION_HEARTBEAT_TABLE} (region text PRIMARY KEY, seq bigint NOT NULL, at timestamptz NOT NULL)`;

/**
 * quiesce() round trips a marker per region through its own row, so it never disturbs the
 * sampler's sequence: central showing the marker has applied everything committed before it.
 */
export const markerKey = (region: string): string => `${region}#marker`;
