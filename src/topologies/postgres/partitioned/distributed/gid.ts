// Global transaction ids of the harness's two-phase checkouts. Every participant prepares its
// part under the same gid, and the decision log is keyed by it, so recovery can match what a
// node still holds prepared with what the coordinator decided. The prefix keeps recovery away
// from prepared transactions that are not the harness's.

export const GID_PREFIX = 'faultline-2pc:';

/** One checkout, one gid: order ids are unique per checkout attempt (see generator.ts). */
export function gidFor(orderId: number): string {
  if (!Number.isSafeInteger(orderId) || orderId <= 0) throw new Error(`an order id must be a positive integer, got ${orderId}`);
  return `${GID_PREFIX}${orderId}`;
}

/** The order id of one of the harness's gids; undefined for any other gid. */
export function orderIdOfGid(gid: string): number | undefined {
  if (!gid.startsWith(GID_PREFIX)) return undefined;
  const rest = gid.slice(GID_PREFIX.length);
  if (!/^[1-9][0-9]{0,15}$/.test(rest)) return undefined;
  const id = Number(rest);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** A LIKE pattern for pg_prepared_xacts.gid ("_" and "%" do not occur in the prefix). */
export const GID_PATTERN = `${GID_PREFIX}%`;
