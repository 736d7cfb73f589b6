import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryPreparedRows } from '../../../src/harness/workload/statements/prepared-rows-query.ts';
import { startScratchPostgres } from '../../support/scratch-postgres.ts';

// faultline's prepared reads (Parse once, then Bind + Execute + Sync with no Describe) against a
// real server: rows as the server's text, errors as node-postgres gives them, the connection
// still usable after one, the client's query timeout still in force.

type Server = Awaited<ReturnType<typeof startScratchPostgres>>;
let server: Server;
const clients: pg.Client[] = [];

async function connect(config: pg.ClientConfig = {}): Promise<pg.Client> {
  const client = new pg.Client({ ...server.endpoint, ...config });
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startScratchPostgres();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await server?.[Symbol.asyncDispose]();
});

describe('prepared reads without Describe', () => {
  it("returns each row as the server's text, nulls as null, and parses the statement once per connection", async () => {
    const client = await connect();
    const text = `SELECT g, g * 1.5 AS price, CASE WHEN g = 2 THEN NULL ELSE 'é"' || g END AS name, now() > 'epoch' AS later FROM generate_series(1, $1::int) g`;
    for (let k = 0; k < 3; k++) {
      expect(await queryPreparedRows(client, 'test.rows', text, [3])).toEqual([
        ['1', '1.5', 'é"1', 't'],
        ['2', '3.0', null, 't'],
        ['3', '4.5', 'é"3', 't'],
      ]);
    }
    expect(await queryPreparedRows(client, 'test.rows', text, [0])).toEqual([]);
    const prepared = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'test.rows'`);
    expect(prepared.rows[0]!.n).toBe(1);
  });

  it("rejects with the server's error, and the connection and the statement go on working", async () => {
    const client = await connect();
    const text = 'SELECT 10 / $1::int AS q';
    await expect(queryPreparedRows(client, 'test.divide', text, [0])).rejects.toMatchObject({ code: '22012' });
    expect(await queryPreparedRows(client, 'test.divide', text, [5])).toEqual([['2']]);
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rejects a statement the server cannot parse, and parses it again when asked again', async () => {
    const client = await connect();
    await expect(queryPreparedRows(client, 'test.bad', 'SELEC 1', [])).rejects.toMatchObject({ code: '42601' });
    await expect(queryPreparedRows(client, 'test.bad', 'SELEC 1', [])).rejects.toMatchObject({ code: '42601' });
    expect(await queryPreparedRows(client, 'test.good', 'SELECT $1::text AS t', ['x'])).toEqual([['x']]);
  });

  it("keeps the client's query timeout: a server that does not answer in time fails the read", async () => {
    const client = await connect({ query_timeout: 300 });
    const started = performance.now();
    await expect(queryPreparedRows(client, 'test.sleep', 'SELECT pg_sleep($1)', [5])).rejects.toThrow(/query read timeout/i);
    expect(performance.now() - started).toBeLessThan(4_000);
  });
});
