import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Target } from '../../../src/harness/network/link-faults.ts';

// A loopback TCP echo server and a client that reads exactly what it expects, so link-proxy
// tests need no database. Half-open is allowed, as in the proxy, so a FIN does not cut off
// echoes still in flight.

export interface EchoServer extends AsyncDisposable {
  readonly target: Target;
  /** Server-side sockets, so a test can push bytes server → client on its own. */
  readonly sockets: Set<Socket>;
}

export async function startEchoServer(options: { echo?: boolean } = {}): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (options.echo !== false) socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo server has no TCP address');
  return {
    target: { host: '127.0.0.1', port: address.port },
    sockets,
    [Symbol.asyncDispose]: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A connected client that collects everything it receives and remembers how it ended. */
export class EchoClient {
  received = Buffer.alloc(0);
  error: NodeJS.ErrnoException | undefined;
  closed = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error = error;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static async connect(port: number): Promise<EchoClient> {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new EchoClient(socket);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves when `bytes` bytes have arrived, rejects after `timeoutMs` or if the socket closes first. */
  async until(bytes: number, timeoutMs = 5_000): Promise<Buffer> {
    const deadline = performance.now() + timeoutMs;
    while (this.received.length < bytes) {
      if (this.closed) throw this.error ?? new Error(`closed after ${this.received.length} of ${bytes} bytes`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out with ${this.received.length} of ${bytes} bytes`);
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
    return this.received.subarray(0, bytes);
  }

  /** Resolves once the socket is closed (by the peer, an RST or an error), or throws after timeoutMs. */
  async untilClosed(timeoutMs = 5_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('socket still open');
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  /** Round trip of one small message, in milliseconds. */
  async roundTrip(message = 'ping'): Promise<number> {
    const before = this.received.length;
    const start = performance.now();
    this.socket.write(message);
    await this.until(before + Buffer.byteLength(message));
    return performance.now() - start;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
