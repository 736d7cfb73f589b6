import { connect } from 'node:net';
import type { WaitStrategy } from 'testcontainers';
import { EngineError } from '../../../harness/output/errors.ts';

// Is a containerised server accepting connections? Asked from the harness over the published
// port, the way libpq's PQping (pg_isready) asks: a startup packet, and the first answer. Not
// `docker exec pg_isready` every 100 ms (testcontainers' command wait): each exec cost the engine
// about 175 ms of CPU (dockerd, containerd, runc), so waiting for three nodes to boot kept most of
// a core busy on a 2-core machine, slowing the very boot it waited for. A TCP connection costs a
// backend fork at most. Docker's port proxy accepts connections before the server listens and
// then closes them: that is "no answer" here, as it is for pg_isready.

export type PingAnswer = 'accepting' | 'starting' | 'no-answer';

/** The startup packet of protocol 3.0 for `user` on `database`. */
function startupPacket(user: string, database: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196_608, 4);
  return Buffer.concat([head, body]);
}

/** The SQLSTATE of an ErrorResponse message (type byte included), if it is whole in `data`. */
function sqlState(data: Buffer): string | undefined {
  for (let at = 5; at < data.length && data[at] !== 0; ) {
    const type = data[at]!;
    const end = data.indexOf(0, at + 1);
    if (end < 0) return undefined;
    if (type === 0x43 /* C */) return data.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return undefined;
}

/**
 * One ping, as libpq reads the answer: an authentication request (or any error other than
 * 57P03, cannot_connect_now) means the server accepts connections; 57P03 means it is starting,
 * recovering or not yet consistent. The connection is closed before any password is sent, which
 * the server does not log (PostgreSQL treats it as the ping it is).
 */
export function pgPing(host: string, port: number, user: string, database: string, timeoutMs = 2_000): Promise<PingAnswer> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const socket = connect({ host, port });
    const done = (answer: PingAnswer): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done('no-answer'));
    socket.once('error', () => done('no-answer'));
    socket.once('close', () => done('no-answer'));
    socket.once('connect', () => socket.write(startupPacket(user, database)));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data[0] === 0x52 /* R */) return done('accepting');
      if (data[0] !== 0x45 /* E */) return done('accepting');
      const state = sqlState(data);
      if (state !== undefined) done(state === '57P03' ? 'starting' : 'accepting');
    });
  });
}

export interface PingTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

type ContainerView = Parameters<WaitStrategy['waitUntilReady']>[0];

/**
 * Pings every 100 ms until the server accepts connections; fails at once when the container
 * exits (a boot that failed), and after the startup timeout otherwise. The container's state is
 * read once a second: an inspect is an engine call too, if a cheap one.
 */
export async function waitUntilAccepting(target: PingTarget, container: ContainerView, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (attempt % 10 === 0) {
      const { State } = await container.inspect();
      if (!State.Running) throw new EngineError(`${what} exited (code ${State.ExitCode}) while starting; its log says why`);
    }
    if ((await pgPing(target.host, target.port, target.user, target.database)) === 'accepting') return;
    if (Date.now() > deadline) throw new EngineError(`${what} did not accept connections within ${timeoutMs / 1000} s; see its log`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** testcontainers' wait strategy for a first start: the same ping, over the published port. */
export class PgPingWait implements WaitStrategy {
  private timeoutMs = 60_000;
  private timeoutSet = false;

  constructor(
    private readonly target: PingTarget,
    private readonly what: string,
  ) {}

  waitUntilReady(container: ContainerView): Promise<void> {
    return waitUntilAccepting(this.target, container, this.what, this.timeoutMs);
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.timeoutMs = startupTimeoutMs;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}
