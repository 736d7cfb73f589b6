import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { PgServerNode } from '../pg-server-node.ts';
import { withAdmin } from '../single-leader/replication-admin.ts';
import type { LeaderHeartbeats } from './leader-heartbeat.ts';

/**
 * Waits until every leader has applied everything every other leader committed before this call:
 * each leader beats its heartbeat row, then each waits to see the others' new beats (pglogical
 * applies a provider's transactions in commit order, so the beat comes last). False on timeout,
 * or when a leader cannot be written to.
 */
export async function waitAllApplied(
  leaders: readonly PgServerNode[],
  beats: LeaderHeartbeats,
  timeoutMs: number,
  now: () => number,
): Promise<boolean> {
  if (leaders.length < 2) return true;
  const deadline = Date.now() + timeoutMs;
  let targets: Map<string, number>;
  try {
    const marks = await Promise.all(
      leaders.map(async (leader) => [leader.name, await withAdmin(leader, (admin) => beats.beat(admin, leader.name, now), 5_000)] as const),
    );
    targets = new Map(marks);
  } catch {
    return false;
  }
  const caughtUp = async (reader: PgServerNode, admin: pg.ClientBase) => {
    for (const [origin, seq] of targets) {
      if (origin !== reader.name && (await beats.seen(admin, origin)) < seq) return false;
    }
    return true;
  };
  const waitFor = async (reader: PgServerNode): Promise<boolean> => {
    while (Date.now() <= deadline) {
      try {
        return await withAdmin(
          reader,
          async (admin) => {
            for (; Date.now() <= deadline; await sleep(20)) if (await caughtUp(reader, admin)) return true;
            return false;
          },
          2_000,
        );
      } catch {
        // Not reachable right now (restarting, frozen): asked again until the deadline.
        await sleep(100);
      }
    }
    return false;
  };
  return (await Promise.all(leaders.map(waitFor))).every(Boolean);
}
