import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionOwner, startPeerRelay, type PeerRelay } from '../../../src/topologies/postgres/patroni/peer-relay.ts';

// The relay tells senders apart by the process holding the connecting socket. Here the sender is
// this test process itself (real sockets on loopback, no server needed): named when it is a
// source, refused when it is not.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function echoServer(): Promise<number> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(text));
    let got = '';
    socket.on('data', (chunk) => {
      got += chunk.toString();
      if (got.length >= text.length) socket.end();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
  });
}

describe('etcd peer relay', () => {
  it('forwards a connection through the link of the member that opened it', async () => {
    const target = await echoServer();
    const relay: PeerRelay = await startPeerRelay(await freePort(), [{ name: 'other', pid: () => 999_999_999 }, { name: 'me', pid: () => process.pid }], (from) => {
      expect(from).toBe('me');
      return target;
    });
    closers.push(() => relay.close());
    expect(await exchange(relay.port, 'hello')).toBe('hello');
  });

  it('refuses a connection from a process that is none of the members', async () => {
    const target = await echoServer();
    const relay = await startPeerRelay(await freePort(), [{ name: 'someone-else', pid: () => 1 }], () => target);
    closers.push(() => relay.close());
    expect(await exchange(relay.port, 'hello')).toBe('');
  });

  it('finds no owner for a port nobody connects from', async () => {
    expect(await connectionOwner(1, 2, [{ name: 'me', pid: () => process.pid }])).toBeUndefined();
  });
});
