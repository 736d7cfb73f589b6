import { createHash } from 'node:crypto';

// PostgreSQL cuts identifiers, prepared statement names included, to 63 bytes (NAMEDATALEN - 1),
// with only a NOTICE. Two long names that share their first 63 bytes would be one statement on
// the server and two in node-postgres's cache: the second Parse fails ("prepared statement ...
// already exists"), or a connection runs the other statement's plan. A long name keeps a
// readable head and ends in a hash of the whole name, so it stays unique and under the limit.

const MAX_BYTES = 63;
const HEAD_CHARS = 40;
/** Names repeat (one per statement shape): each long one is hashed once. */
const hashed = new Map<string, string>();

export function statementName(name: string): string {
  if (name.length <= MAX_BYTES && Buffer.byteLength(name) <= MAX_BYTES) return name;
  let short = hashed.get(name);
  if (short === undefined) {
    const digest = createHash('sha256').update(name).digest('hex').slice(0, 16);
    // ASCII only in the head, so its length in characters is its length in bytes.
    short = `${name.slice(0, HEAD_CHARS).replace(/[^\w.-]/g, '_')}.${digest}`;
    if (hashed.size < 10_000) hashed.set(name, short);
  }
  return short;
}
