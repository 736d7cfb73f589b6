import type { PgServerNode } from '../pg-server-node.ts';
import type { PgSettings } from '../local/pg-config.ts';
import { ensureSlots, waitReplayed, waitStreaming } from '../single-leader/replication-admin.ts';
import { standbySettings } from '../single-leader/replication-settings.ts';

// Asynchronous streaming replicas of a shard, built from the single-leader pieces: each replica
// is made a standby base of its shard (a local node is a copy of the same cleanly shut-down
// template already; a container takes a base backup at its first boot), with its own physical
// slot on the shard and primary_conninfo through the replica->shard link, so network faults on
// that link cut its replication.

export const shardReplicaName = (shard: string, i: number): string => `${shard}-r${i + 1}`;

/** Configures and starts a shard's replicas; returns once every one of them streams. */
export async function startShardReplicas(
  shard: PgServerNode,
  replicas: readonly PgServerNode[],
  portOf: (from: string, to: string) => number,
  hostOf: (from: string, to: string) => string | undefined,
  // A standby needs at least its primary's max_prepared_transactions (2pc): it gets the shard's own settings.
  own: PgSettings,
  scenario: PgSettings,
): Promise<void> {
  if (replicas.length === 0) return;
  const names = replicas.map((r) => r.name);
  await ensureSlots(shard, names);
  await Promise.all(
    replicas.map(async (replica) => {
      const upstream = standbySettings(replica, portOf(replica.name, shard.name), hostOf(replica.name, shard.name));
      await replica.initStandbyFrom(shard);
      await replica.writeConfig(replica.serverSettings(), own, upstream, scenario);
      await replica.setStandby(true);
      await replica.start();
    }),
  );
  await waitStreaming(shard, names, 'none');
}

/** Each running shard's running replicas have replayed all it wrote (bounded); false on timeout. */
export async function shardReplicasCaughtUp(
  shards: readonly PgServerNode[],
  replicasOf: (shard: PgServerNode) => readonly PgServerNode[],
  timeoutMs: number,
): Promise<boolean> {
  const waits = shards
    .filter((shard) => shard.state === 'running')
    .map((shard) => {
      const running = replicasOf(shard).filter((r) => r.state === 'running').map((r) => r.name);
      return waitReplayed(shard, running, timeoutMs).catch(() => false);
    });
  return (await Promise.all(waits)).every(Boolean);
}
