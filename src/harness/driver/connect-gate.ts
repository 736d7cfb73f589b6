import pLimit, { type LimitFunction } from 'p-limit';

// A thousand workers that all open their first connection in the same turn of the event loop
// create a thousand clients and sockets at once and then handle a thousand authentication
// exchanges in bursts: measured here, the event loop stalled for up to 1-2 s, so Ctrl-C waited
// that long before its handler even ran. The server forks its backends one at a time anyway, so
// opening them a few dozen at a time costs no set-up time (1,000 SCRAM connections on a loaded
// 2-core machine: 33-43 s either way), and the loop stays responsive (stalls under 0.3 s).

/** Connections opened at once while workers set up. */
export const SETUP_CONNECTS = 32;

export class GateClosed extends Error {
  override readonly name = 'GateClosed';
  constructor() {
    super('the load stopped before this connection was opened');
  }
}

/**
 * Bounds how many connections are being opened at once, and stops them all when the load stops:
 * opens still waiting fail at once, opens under way are cut (their `cancel`), later ones fail.
 * Every slot is held only for one open, which its connect timeout bounds, so the queue always moves.
 */
export class ConnectGate {
  private readonly limit: LimitFunction;
  private readonly underWay = new Set<() => void>();
  /** One error for every open the close stops: a thousand stack traces would hold Ctrl-C up. */
  private closedError: GateClosed | undefined;

  constructor(concurrency: number = SETUP_CONNECTS) {
    this.limit = pLimit({ concurrency, rejectOnClear: true });
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** Opens waiting for a slot. */
  get waiting(): number {
    return this.limit.pendingCount;
  }

  /** Runs `open` when a slot is free; `cancel` must make it settle at once (destroy its socket). */
  pass<T>(open: () => Promise<T>, cancel: () => void): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    return this.limit(async () => {
      if (this.closedError) throw this.closedError;
      this.underWay.add(cancel);
      try {
        return await open();
      } finally {
        this.underWay.delete(cancel);
      }
    }).catch((error: unknown) => {
      // p-limit rejects what clearQueue dropped with an AbortError: the same story as a closed gate.
      throw this.closedError && isAbort(error) ? this.closedError : error;
    });
  }

  /** The load stopped: nothing more is opened, and nothing waits for an open that will not be used. */
  close(): void {
    if (this.closedError) return;
    this.closedError = new GateClosed();
    this.limit.clearQueue();
    for (const cancel of [...this.underWay]) cancel();
    this.underWay.clear();
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
