import type pg from 'pg';

// One heartbeat row per leader, written only by that leader and replicated to the others like
// any workload row. A row has a single writer, so heartbeats never conflict; and since pglogical
// applies a provider's transactions in commit order, a leader showing seq s of another has
// applied everything that one committed before s. That makes the row both the lag probe and
// the quiesce marker.

export const LEADER_HEARTBEAT_TABLE = 'faultline_leader_heartbeat';
export const LEADER_HEARTBEAT_DDL = `CREATE TABLE IF NOT EXISTS ${LEADER_HEARTBEAT_TABLE} (origin text PRIMARY KEY, seq bigint NOT NULL, at timestamptz NOT NULL)`;

/** Acknowledgement times kept per leader: at 20 beats/s, minutes of history. */
const REMEMBERED = 4_000;

export class LeaderHeartbeats {
  private readonly seqs = new Map<string, number>();
  private readonly acked = new Map<string, Map<number, number>>();

  /** Writes the leader's next seq and remembers when the write was acknowledged. */
  async beat(client: pg.ClientBase, leader: string, now: () => number): Promise<number> {
    const seq = (this.seqs.get(leader) ?? 0) + 1;
    this.seqs.set(leader, seq);
    await client.query(
      `INSERT INTO ${LEADER_HEARTBEAT_TABLE} (origin, seq, at) VALUES ($1, $2, clock_timestamp())
       ON CONFLICT (origin) DO UPDATE SET seq = EXCLUDED.seq, at = EXCLUDED.at`,
      [leader, seq],
    );
    let acked = this.acked.get(leader);
    if (!acked) this.acked.set(leader, (acked = new Map()));
    acked.set(seq, now());
    acked.delete(seq - REMEMBERED);
    return seq;
  }

  /** The seq of `origin`'s row as the connected leader holds it (0 before the first arrives). */
  async seen(client: pg.ClientBase, origin: string): Promise<number> {
    const { rows } = await client.query<{ seq: string }>(`SELECT seq FROM ${LEADER_HEARTBEAT_TABLE} WHERE origin = $1`, [origin]);
    return Number(rows[0]?.seq ?? 0);
  }

  /**
   * Staleness of a read that started at `readAt` and showed `seen` of `origin`: since when the
   * first write it misses was acknowledged; 0 when it misses none we remember.
   */
  staleness(origin: string, seen: number, readAt: number): number {
    const acked = this.acked.get(origin);
    const last = this.seqs.get(origin) ?? 0;
    if (!acked) return 0;
    // A beat whose write failed has no acknowledgement: the next acknowledged one counts.
    for (let seq = Math.max(seen + 1, last - REMEMBERED + 1); seq <= last; seq++) {
      const at = acked.get(seq);
      if (at !== undefined) return Math.max(0, readAt - at);
    }
    return 0;
  }
}
