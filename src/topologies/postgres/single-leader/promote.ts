import type { PgServerNode } from '../pg-server-node.ts';
import { receivedLsn, withAdmin } from './replication-admin.ts';
import { EngineError } from '../../../harness/output/errors.ts';

/**
 * Fences the old primary, then promotes the running replica that received the most WAL.
 * Fencing first (STONITH: the harness owns the processes) is what guarantees there are never
 * two writable primaries, even when the old one was only partitioned or paused.
 */
export async function promote<N extends PgServerNode>(
  old: N,
  replicas: readonly N[],
  configureAsPrimary: (node: N) => Promise<void>,
): Promise<{ promoted: N; forkLsn: bigint } | undefined> {
  if (old.state === 'running' || old.state === 'paused') await old.kill();
  const positions = await Promise.all(
    replicas
      .filter((node) => node.state === 'running')
      .map(async (node) => ({ node, lsn: await receivedLsn(node).catch(() => -1n) })),
  );
  const best = positions.filter((p) => p.lsn >= 0n).sort((a, b) => (a.lsn === b.lsn ? 0 : a.lsn > b.lsn ? -1 : 1))[0];
  if (!best) return undefined;
  // Its primary settings (synchronous standbys included) are in force before it takes writes.
  await configureAsPrimary(best.node);
  await withAdmin(best.node, async (admin) => {
    await admin.query('SELECT pg_reload_conf()');
    const { rows } = await admin.query<{ ok: boolean }>('SELECT pg_promote(true, 60) AS ok');
    if (!rows[0]?.ok) throw new EngineError(`${best.node.name} did not finish promotion within 60 s`);
  });
  await best.node.setStandby(false);
  // Everything it had received it replays before switching timeline: the new timeline forks there.
  return { promoted: best.node, forkLsn: best.lsn };
}
