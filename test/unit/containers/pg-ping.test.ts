import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pgPing, waitUntilAccepting } from '../../../src/topologies/postgres/containers/pg-ping.ts';

// The readiness ping read as libpq's PQping reads it, against a TCP server that answers as a
// PostgreSQL server (or Docker's port proxy) would at each stage of a boot.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function errorResponse(sqlState: string): Buffer {
  const fields = Buffer.from(`SFATAL\0C${sqlState}\0Mthe database system is starting up\0\0`);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

/** A server that reads the startup packet and answers with `answer` (split in two writes, as TCP may). */
async function serverAnswering(answer: ((socket: Socket) => void) | Buffer): Promise<{ port: number; packets: Buffer[] }> {
  const packets: Buffer[] = [];
  const server = createServer((socket) => {
    socket.once('data', (packet) => {
      packets.push(packet);
      if (typeof answer === 'function') return answer(socket);
      socket.write(answer.subarray(0, 3));
      setTimeout(() => socket.write(answer.subarray(3)), 5);
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, packets };
}

describe('pgPing', () => {
  it('sends a protocol 3.0 startup packet for the user and database, and takes an authentication request for accepting', async () => {
    const { port, packets } = await serverAnswering(Buffer.from([0x52, 0, 0, 0, 12, 0, 0, 0, 10, 0, 0, 0]));
    expect(await pgPing('127.0.0.1', port, 'faultline', 'shop')).toBe('accepting');
    expect(packets[0]!.readInt32BE(4)).toBe(196_608);
    expect(packets[0]!.toString('utf8', 8)).toBe('user\0faultline\0database\0shop\0\0');
  });

  it('says starting on 57P03 (booting, recovering, a standby not yet consistent), accepting on any other error', async () => {
    expect(await pgPing('127.0.0.1', (await serverAnswering(errorResponse('57P03'))).port, 'u', 'd')).toBe('starting');
    expect(await pgPing('127.0.0.1', (await serverAnswering(errorResponse('28000'))).port, 'u', 'd')).toBe('accepting');
  });

  it('says no answer when the connection is refused, closed unanswered (Docker\'s proxy before the server listens) or silent', async () => {
    const closed = await serverAnswering((socket) => socket.destroy());
    const silent = await serverAnswering(() => {});
    const refused = await serverAnswering(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(await pgPing('127.0.0.1', closed.port, 'u', 'd')).toBe('no-answer');
    expect(await pgPing('127.0.0.1', silent.port, 'u', 'd', 200)).toBe('no-answer');
    expect(await pgPing('127.0.0.1', refused.port, 'u', 'd')).toBe('no-answer');
  });
});

describe('waitUntilAccepting', () => {
  const running = { inspect: async () => ({ State: { Running: true, ExitCode: 0 } }) } as never;

  it('returns once the server accepts, after pings that found it starting', async () => {
    let calls = 0;
    const { port } = await serverAnswering((socket) => {
      calls++;
      socket.write(calls < 3 ? errorResponse('57P03') : Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]));
    });
    await waitUntilAccepting({ host: '127.0.0.1', port, user: 'u', database: 'd' }, running, 'primary', 5_000);
    expect(calls).toBe(3);
  });

  it('fails at once, with the exit code, when the container exits while booting', async () => {
    const exited = { inspect: async () => ({ State: { Running: false, ExitCode: 3 } }) } as never;
    await expect(waitUntilAccepting({ host: '127.0.0.1', port: 1, user: 'u', database: 'd' }, exited, 'replica1', 60_000)).rejects.toThrow(
      'replica1 exited (code 3) while starting; its log says why',
    );
  });

  it('gives up after its timeout, naming the node', async () => {
    const { port } = await serverAnswering(errorResponse('57P03'));
    await expect(waitUntilAccepting({ host: '127.0.0.1', port, user: 'u', database: 'd' }, running, 'replica2', 300)).rejects.toThrow(
      'replica2 did not accept connections within 0.3 s',
    );
  });
});
