import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkProxy } from '../../../src/harness/network/link-proxy.ts';
import { portsDir } from '../../../src/harness/process/runtime-root.ts';
import { EchoClient, startEchoServer, type EchoServer } from './echo-server.ts';

// The link proxy against a loopback echo server. Timing bounds are loose on purpose (the CI VM
// has two shared cores); precise figures are bench/proxy-latency.ts's job.

let proxy: LinkProxy;
let echo: EchoServer;
const clients: EchoClient[] = [];
let linkCount = 0;

async function link(): Promise<{ name: string; port: number }> {
  const name = `link-${++linkCount}`;
  const { port } = await proxy.addLink(name, echo.target);
  return { name, port };
}

async function client(port: number): Promise<EchoClient> {
  const connected = await EchoClient.connect(port);
  clients.push(connected);
  return connected;
}

/** How a new connection ends; the proxy's RST may beat the client's own connect callback. */
async function endOfNewConnection(port: number): Promise<string | undefined> {
  return EchoClient.connect(port).then(
    async (c) => {
      clients.push(c);
      c.socket.write('anyone?');
      await c.untilClosed();
      return c.error?.code;
    },
    (error: NodeJS.ErrnoException) => error.code,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

beforeAll(async () => {
  echo = await startEchoServer();
  proxy = await LinkProxy.start();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await proxy?.[Symbol.asyncDispose]();
  await echo?.[Symbol.asyncDispose]();
});

describe('LinkProxy', () => {
  it('passes bytes both ways and counts them', async () => {
    const { name, port } = await link();
    const c = await client(port);
    c.socket.write('hello through the proxy');
    expect((await c.until(23)).toString()).toBe('hello through the proxy');
    const stats = await proxy.stats(name);
    expect(stats).toEqual({ connectionsOpen: 1, connectionsTotal: 1, bytes: { upstream: 23, downstream: 23 } });
  });

  it('adds the configured latency each way', async () => {
    const { name, port } = await link();
    const c = await client(port);
    await proxy.setFaults(name, { both: { latency: { delayMs: 20 } } });
    const rtts: number[] = [];
    for (let i = 0; i < 5; i++) rtts.push(await c.roundTrip());
    expect(median(rtts)).toBeGreaterThanOrEqual(38);
    expect(median(rtts)).toBeLessThan(70);
    await proxy.heal(name);
    // Healed: the 40 ms round trip is gone (the best of a few, since a loaded machine only adds time).
    const healed = Math.min(await c.roundTrip(), await c.roundTrip(), await c.roundTrip());
    expect(healed).toBeLessThan(20);
  });

  it('never reorders a byte stream under jitter', async () => {
    const { name, port } = await link();
    await proxy.setFaults(name, { both: { latency: { delayMs: 5, jitterMs: 5 } } });
    const c = await client(port);
    const count = 300;
    for (let i = 0; i < count; i++) {
      const chunk = Buffer.alloc(4);
      chunk.writeUInt32BE(i);
      c.socket.write(chunk);
      // Separate chunks on the wire, each with its own jittered delay.
      if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const bytes = await c.until(count * 4);
    const order = Array.from({ length: count }, (_, i) => bytes.readUInt32BE(i * 4));
    expect(order).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('blackholes: accepts, forwards nothing, and delivers what it held after the heal', async () => {
    const { name, port } = await link();
    await proxy.setFaults(name, { both: { mode: 'blackhole' } });
    const held = await client(port);
    held.socket.write('lost?');
    await sleep(300);
    expect(held.received.length).toBe(0);
    expect(held.closed).toBe(false);
    await proxy.heal(name);
    const fresh = await client(port);
    expect(await fresh.roundTrip('after heal')).toBeLessThan(1_000);
    // As TCP retransmission after a partition: nothing lost, nothing reordered.
    expect((await held.until(5)).toString()).toBe('lost?');
  });

  it('blackholes one direction only: server → client bytes still flow', async () => {
    await using silent = await startEchoServer({ echo: false });
    const name = `one-way-${++linkCount}`;
    const { port } = await proxy.addLink(name, silent.target);
    await proxy.setFaults(name, { upstream: { mode: 'blackhole' } });
    const c = await client(port);
    c.socket.write('to the server');
    await expect.poll(() => silent.sockets.size).toBe(1);
    const [serverSide] = [...silent.sockets];
    let serverGot = 0;
    serverSide!.on('data', (chunk: Buffer) => (serverGot += chunk.length));
    serverSide!.write('to the client');
    expect((await c.until(13)).toString()).toBe('to the client');
    await sleep(300);
    expect(serverGot).toBe(0);
  });

  it('resets existing connections and every new one', async () => {
    const { name, port } = await link();
    const existing = await client(port);
    await existing.roundTrip();
    await proxy.setFaults(name, { both: { mode: 'reset' } });
    await existing.untilClosed();
    expect(existing.error?.code).toBe('ECONNRESET');
    expect(await endOfNewConnection(port)).toBe('ECONNRESET');
    await proxy.heal(name);
    expect(await (await client(port)).roundTrip()).toBeLessThan(1_000);
  });

  it('limits bandwidth: 100 kB at 100 kB/s takes about a second', async () => {
    const { name, port } = await link();
    await proxy.setFaults(name, { upstream: { bandwidth: { bytesPerSecond: 100_000 } } });
    const c = await client(port);
    const start = performance.now();
    c.socket.write(Buffer.alloc(100_000, 7));
    await c.until(100_000, 10_000);
    const seconds = (performance.now() - start) / 1000;
    expect(seconds).toBeGreaterThan(0.85);
    expect(seconds).toBeLessThan(2.5);
  });

  it('re-points a link: existing connections close, new ones reach the new target', async () => {
    await using other = await startEchoServer();
    const { name, port } = await link();
    const before = await client(port);
    await before.roundTrip();
    await proxy.setTarget(name, other.target);
    await before.untilClosed();
    const after = await client(port);
    await after.roundTrip();
    expect(other.sockets.size).toBe(1);
  });

  it('resets the client when the target refuses the connection', async () => {
    const gone = await startEchoServer();
    await gone[Symbol.asyncDispose]();
    const name = `refused-${++linkCount}`;
    const { port } = await proxy.addLink(name, gone.target);
    expect(await endOfNewConnection(port)).toBe('ECONNRESET');
  });

  it('rejects unknown links, duplicate names and bad faults', async () => {
    await expect(proxy.stats('nope')).rejects.toThrow(/no link named nope/);
    const { name } = await link();
    await expect(proxy.addLink(name, echo.target)).rejects.toThrow(/already exists/);
    await expect(proxy.setFaults(name, { both: { latency: { delayMs: -1 } } })).rejects.toThrow(RangeError);
  });
});

describe('LinkProxy disposal', () => {
  const threads = () => readdirSync('/proc/self/task').length;

  it('closes listeners and connections, ends its thread and releases its ports', async () => {
    const own = await LinkProxy.start();
    const { port } = await own.addLink('db', echo.target);
    const c = await EchoClient.connect(port);
    await c.roundTrip();
    const threadsRunning = threads();
    await own[Symbol.asyncDispose]();
    await c.untilClosed();
    expect(threads()).toBeLessThan(threadsRunning);
    expect(existsSync(join(portsDir(), String(port)))).toBe(false);
    const refused = await new Promise<string | undefined>((resolve) => {
      const probe = connect({ host: '127.0.0.1', port });
      probe.once('connect', () => (probe.destroy(), resolve(undefined)));
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe('ECONNREFUSED');
    await expect(own.stats('db')).rejects.toThrow(/disposed/);
  });
});
