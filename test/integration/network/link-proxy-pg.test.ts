import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkProxy } from '../../../src/harness/network/link-proxy.ts';
import { startScratchPostgres } from '../../support/scratch-postgres.ts';

// The link proxy in front of a real PostgreSQL server: the wire protocol (startup, SCRAM, simple
// queries) crosses it intact, latency shows in every query, and a partition ends in the client's
// own timeout rather than a hang.

type Server = Awaited<ReturnType<typeof startScratchPostgres>>;

let server: Server;
let proxy: LinkProxy;
let port: number;
const clients: pg.Client[] = [];

async function connect(config: pg.ClientConfig = {}): Promise<pg.Client> {
  const client = new pg.Client({ ...server.endpoint, host: '127.0.0.1', port, connectionTimeoutMillis: 5_000, ...config });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

async function queryMs(client: pg.Client): Promise<number> {
  const start = performance.now();
  await client.query('SELECT 1');
  return performance.now() - start;
}

/** The fastest of a few queries: load on a shared machine only ever adds, so minima compare well. */
async function fastestQueryMs(client: pg.Client, count = 7): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await queryMs(client));
  return Math.min(...times);
}

beforeAll(async () => {
  server = await startScratchPostgres();
  proxy = await LinkProxy.start();
  ({ port } = await proxy.addLink('primary', server.endpoint));
});

afterAll(async () => {
  // Healed first: a client ending over a blackholed link would wait for its FIN forever.
  await proxy?.healAll();
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await proxy?.[Symbol.asyncDispose]();
  await server?.[Symbol.asyncDispose]();
});

describe('LinkProxy in front of PostgreSQL', () => {
  it('carries the connection and its queries', async () => {
    const client = await connect();
    const { rows } = await client.query<{ answer: number }>('SELECT 41 + 1 AS answer');
    expect(rows).toEqual([{ answer: 42 }]);
    const stats = await proxy.stats('primary');
    expect(stats.connectionsOpen).toBeGreaterThanOrEqual(1);
    expect(stats.bytes.upstream).toBeGreaterThan(0);
    expect(stats.bytes.downstream).toBeGreaterThan(0);
  });

  it('adds 10 ms each way to every query', async () => {
    const client = await connect();
    const baseline = await fastestQueryMs(client);
    await proxy.setFaults('primary', { both: { latency: { delayMs: 10 } } });
    try {
      const delayed = await fastestQueryMs(client);
      // The floor is exact: no query through the link can be faster than 10 ms each way.
      expect(delayed).toBeGreaterThanOrEqual(20);
      // What it adds is that delay, not a slow machine's: the fastest of 7 without it is well
      // below. Not 19.5: under a loaded suite the baseline's fastest query took 2.7 ms, so
      // delayed - baseline read 17.3 although the floor held.
      expect(delayed - baseline).toBeGreaterThanOrEqual(15);
    } finally {
      await proxy.heal('primary');
    }
  });

  it('makes a query under a blackhole fail by the client timeout instead of hanging', async () => {
    const client = await connect({ query_timeout: 500 });
    await client.query('SELECT 1');
    await proxy.setFaults('primary', { both: { mode: 'blackhole' } });
    try {
      const start = performance.now();
      await expect(client.query('SELECT 1')).rejects.toThrow(/timeout/i);
      expect(performance.now() - start).toBeLessThan(3_000);
    } finally {
      await proxy.heal('primary');
    }
  });
});
