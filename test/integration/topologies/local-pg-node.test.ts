import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTree } from '../../../src/harness/process/reaper.mjs';
import type { LocalPgNode } from '../../../src/topologies/postgres/local/local-pg-node.ts';
import { startLocalTopology, type LocalTopology } from '../../support/local-topology.ts';
import { probePort, running, see, waitUntil, type SeenProcess } from '../../support/processes.ts';

// One real server from the local provider, driven through every state a fault can put it in.

let servers: LocalTopology;
let node: LocalPgNode;
const clients: pg.Client[] = [];

async function connect(config: pg.ClientConfig = {}): Promise<pg.Client> {
  const client = new pg.Client({ ...node.endpoint(), connectionTimeoutMillis: 5_000, ...config });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = await connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const serverProcesses = (): SeenProcess[] => processTree(node.pid!).map(see).filter((p): p is SeenProcess => !!p);

beforeAll(async () => {
  servers = await startLocalTopology({ replicas: 0 }, 'node');
  node = servers.topology.primary();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => {})));
  await servers?.[Symbol.asyncDispose]();
});

describe('a local PostgreSQL node', () => {
  it('listens on 127.0.0.1 only, with a private socket and node directory', async () => {
    expect((await query<{ listen_addresses: string }>('SHOW listen_addresses'))[0]!.listen_addresses).toBe('127.0.0.1');
    expect((await query<{ port: string }>('SHOW port'))[0]!.port).toBe(String(node.port));
    const sockets = await query<{ unix_socket_directories: string }>('SHOW unix_socket_directories');
    expect(sockets[0]!.unix_socket_directories).toBe(node.socketDir);
    expect((await stat(node.socketDir)).mode & 0o777).toBe(0o700);
    expect((await stat(node.dataDir)).mode & 0o077).toBe(0);
    expect(node.socketDir.startsWith(servers.sandbox.dir)).toBe(true);
    // Bound to 127.0.0.1 itself, not to every address: not reachable through any other one.
    const others = [
      '127.0.0.2',
      '::1',
      ...Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && !a.address.startsWith('fe80:'))
        .map((a) => a!.address),
    ];
    for (const address of others) expect(await probePort(node.port, address), address).not.toBe('open');
  });

  it('needs the run password over TCP, and stores it only as a SCRAM verifier', async () => {
    await expect(connect({ password: 'not-the-password' })).rejects.toMatchObject({ code: '28P01' });
    await expect(connect({ password: `${servers.password}x` })).rejects.toMatchObject({ code: '28P01' });
    const verifier = (await query<{ verifier: string }>("SELECT rolpassword AS verifier FROM pg_authid WHERE rolname = 'faultline'"))[0]!.verifier;
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(verifier).not.toContain(servers.password);
    expect((await query<{ method: string }>("SELECT auth_method AS method FROM pg_hba_file_rules WHERE type = 'host'")).map((r) => r.method)).toEqual(['scram-sha-256', 'scram-sha-256']);
  });

  it('stop shuts down cleanly; the port refuses until start', async () => {
    await query('CREATE TABLE IF NOT EXISTS kept (id integer PRIMARY KEY)');
    await query('INSERT INTO kept SELECT generate_series(1, 100)');
    await node.stop();
    expect(node.state).toBe('stopped');
    expect(await probePort(node.port)).toBe('refused');
    await node.start();
    expect(node.state).toBe('running');
    expect((await query<{ n: number }>('SELECT count(*)::integer AS n FROM kept'))[0]!.n).toBe(100);
  });

  it('kill crashes every process of the server at once; restart recovers every committed row', async () => {
    const client = await connect();
    await client.query('INSERT INTO kept SELECT generate_series(101, 150)');
    const before = serverProcesses();
    expect(before.length).toBeGreaterThan(3); // postmaster, its helpers and our backend
    await node.kill();
    expect(node.state).toBe('killed');
    // SIGKILL went to every process at once; the kernel needs a moment to finish them off.
    await waitUntil('every server process is gone', () => before.every((p) => !running(p)), 2_000);
    expect(await probePort(node.port)).toBe('refused');
    await expect(client.query('SELECT 1')).rejects.toThrow();
    await node.restart();
    expect(node.state).toBe('running');
    expect((await query<{ n: number }>('SELECT count(*)::integer AS n FROM kept'))[0]!.n).toBe(150);
  });

  it('pause freezes the server: queries and new connections hang until resume answers them', async () => {
    const client = await connect();
    await node.pause();
    try {
      expect(node.state).toBe('paused');
      const pending = client.query<{ one: number }>('SELECT 1 AS one');
      const outcome = await Promise.race([pending.then(() => 'answered'), sleep(500).then(() => 'hanging')]);
      expect(outcome).toBe('hanging');
      // The kernel still accepts the TCP connection; the frozen server never answers it.
      await expect(connect({ connectionTimeoutMillis: 300 })).rejects.toThrow(/timeout/i);
      await node.resume();
      expect(node.state).toBe('running');
      expect((await pending).rows).toEqual([{ one: 1 }]);
    } finally {
      await node.resume();
    }
    expect((await query<{ one: number }>('SELECT 1 AS one'))[0]!.one).toBe(1);
  });

  it('restart keeps the port and the data', async () => {
    const port = node.port;
    await node.restart();
    expect(node.port).toBe(port);
    expect(node.state).toBe('running');
    expect((await query<{ n: number }>('SELECT count(*)::integer AS n FROM kept'))[0]!.n).toBe(150);
  });
});

describe('local topologies side by side', () => {
  it('get their own ports and passwords, and teardown leaves nothing, even of a paused node', async () => {
    const [a, b] = await Promise.all([startLocalTopology({ replicas: 0 }, 'side-a'), startLocalTopology({ replicas: 0 }, 'side-b')]);
    let processes: SeenProcess[] = [];
    try {
      const [nodeA, nodeB] = [a.topology.primary(), b.topology.primary()];
      expect(new Set([nodeA.port, nodeB.port, node.port]).size).toBe(3);
      expect(a.password).not.toBe(b.password);
      const wrong = new pg.Client({ ...nodeB.endpoint(), password: a.password });
      await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });
      const right = new pg.Client(nodeB.endpoint());
      await right.connect();
      await right.end();
      processes = [nodeA, nodeB].flatMap((n) => processTree(n.pid!).map(see).filter((p): p is SeenProcess => !!p));
      await nodeB.pause();
    } finally {
      await Promise.all([a[Symbol.asyncDispose](), b[Symbol.asyncDispose]()]);
    }
    await waitUntil('every server process is gone', () => processes.every((p) => !running(p)), 5_000);
    expect(existsSync(a.sandbox.dir)).toBe(false);
    expect(existsSync(b.sandbox.dir)).toBe(false);
  });
});
