import type { Endpoint } from '../../topology.ts';

/**
 * A connection string to one server, never to a replica set: the driver must not discover
 * members by their config addresses (peer links, container aliases), or a client would bypass
 * its own link and a partition between members would cut the clients too. Clients find the
 * primary themselves, as they do for PostgreSQL (candidates in order, the first writable wins).
 */
export function directUri(endpoint: Endpoint, auth = true): string {
  const credentials = auth ? `${encodeURIComponent(endpoint.user)}:${encodeURIComponent(endpoint.password)}@` : '';
  const query = new URLSearchParams({ directConnection: 'true', ...(auth ? { authSource: 'admin' } : {}) });
  return `mongodb://${credentials}${endpoint.host}:${endpoint.port}/?${query.toString()}`;
}
