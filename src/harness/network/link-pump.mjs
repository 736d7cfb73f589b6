// @ts-check
// One direction of one proxied connection: reads the source socket and delivers to the
// destination, either straight through (no fault configured: one write per chunk, nothing
// else) or through a queue of timed items when a delay, a bandwidth or a blackhole applies.
// A FIN and an RST travel through the same queue as the bytes, so they keep their place.
import { isDirect, releaseTime, sliceBytes } from './release-time.mjs';

/** @typedef {import('node:net').Socket} Socket */
/** @typedef {import('./link-faults.ts').ResolvedFaults} ResolvedFaults */
/**
 * One direction of a link, shared by all its connections.
 * @typedef {{ faults: ResolvedFaults; busyUntil: number; bytes: number }} PathState
 */
/** @typedef {{ at: number; kind: 'data' | 'end' | 'reset'; chunk: Buffer | null }} Item */

// Bytes the proxy holds for one stream before it stops reading the source: bounds its memory
// while letting a fast link's bandwidth-delay product (1 Gbit/s x 20 ms = 2.5 MB) stay in flight.
// Under a bandwidth limit only 100 ms worth: the sender must feel the slow link as a full socket
// (that is how a WAL sender falls behind), not see its writes vanish into the proxy.
const HIGH_WATER_BYTES = 4 << 20;
const LIMITED_HIGH_WATER_BYTES = 64 << 10;

/** @param {ResolvedFaults} faults */
function highWater(faults) {
  return faults.bytesPerSecond > 0 ? Math.max(LIMITED_HIGH_WATER_BYTES, faults.bytesPerSecond / 10) : HIGH_WATER_BYTES;
}

// Timing is one Node timer per queue, in whole milliseconds. Measured in this worker, a release
// lands 0.15-0.2 ms after its due time (p50). Busy-waiting the last millisecond brought that to
// ~0 but doubled the worker's CPU at 1000 round trips/s: CPU that PostgreSQL and the driver share
// on a 2-core machine. A release due within 0.5 ms goes now, since a 1 ms timer would be later.
const EARLY_MS = 0.5;

export class Pump {
  /** @type {Item[]} */
  #queue = [];
  #head = 0;
  #queuedBytes = 0;
  /** @type {NodeJS.Timeout | null} */
  #timer = null;
  #waitingDrain = false;
  #sourceDone = false;
  #stopped = false;
  #stream = { lastAt: 0 };

  /**
   * @param {Socket} source
   * @param {Socket} dest
   * @param {PathState} path
   */
  constructor(source, dest, path) {
    this.source = source;
    this.dest = dest;
    this.path = path;
    source.on('data', (chunk) => this.#onData(/** @type {Buffer} */ (chunk)));
    source.on('end', () => {
      this.#sourceDone = true;
      this.#push('end', null);
    });
    // A close without a FIN first is an RST or an error: the other side must see it as one.
    source.on('close', () => {
      if (!this.#sourceDone) {
        this.#sourceDone = true;
        this.#push('reset', null);
      }
    });
    dest.on('drain', () => {
      this.#waitingDrain = false;
      this.#flow();
    });
    dest.on('close', () => this.stop());
    this.#flow();
  }

  /** @param {Buffer} chunk */
  #onData(chunk) {
    if (this.#stopped) return;
    if (this.#head === this.#queue.length && isDirect(this.path.faults)) {
      this.#deliver('data', chunk);
      return;
    }
    const slice = sliceBytes(this.path.faults.bytesPerSecond);
    for (let offset = 0; offset < chunk.length; offset += slice) this.#push('data', chunk.subarray(offset, offset + slice));
  }

  /**
   * @param {Item['kind']} kind
   * @param {Buffer | null} chunk
   */
  #push(kind, chunk) {
    if (this.#stopped) return;
    const bytes = chunk ? chunk.length : 0;
    if (this.#head === this.#queue.length && isDirect(this.path.faults)) {
      this.#deliver(kind, chunk);
      return;
    }
    const at = releaseTime(this.#stream, this.path, this.path.faults, performance.now(), bytes);
    this.#queue.push({ at, kind, chunk });
    this.#queuedBytes += bytes;
    this.#flow();
    if (this.#timer === null) this.#release();
  }

  /**
   * @param {Item['kind']} kind
   * @param {Buffer | null} chunk
   */
  #deliver(kind, chunk) {
    const dest = this.dest;
    if (dest.destroyed) return;
    if (kind === 'data' && chunk) {
      this.path.bytes += chunk.length;
      if (!dest.write(chunk)) {
        this.#waitingDrain = true;
        this.#flow();
      }
    } else if (kind === 'end') {
      dest.end();
    } else if (dest.connecting) {
      // resetAndDestroy() on a connecting socket waits for the connect, which may never come.
      dest.destroy();
    } else {
      dest.resetAndDestroy();
    }
  }

  #release() {
    this.#timer = null;
    if (this.#stopped || this.path.faults.mode === 'blackhole') return;
    const now = performance.now();
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const item = /** @type {Item} */ (queue[this.#head]);
      if (item.at - now >= EARLY_MS) break;
      this.#head++;
      this.#queuedBytes -= item.chunk ? item.chunk.length : 0;
      this.#deliver(item.kind, item.chunk);
    }
    // Compact rarely: shifting per item would make a long queue quadratic.
    if (this.#head === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    const next = this.#queue[this.#head];
    if (next) this.#timer = setTimeout(() => this.#release(), Math.max(1, Math.round(next.at - now)));
    this.#flow();
  }

  /** Reading stops while blackholed (bytes stay with the sender, as over a partition) or full. */
  #flow() {
    if (this.#stopped || this.#sourceDone || this.source.destroyed) return;
    const read = this.path.faults.mode !== 'blackhole' && !this.#waitingDrain && this.#queuedBytes < highWater(this.path.faults);
    if (read && this.source.isPaused()) this.source.resume();
    else if (!read && !this.source.isPaused()) this.source.pause();
  }

  /** Applies new faults of the path to what is queued: a heal delivers everything held now. */
  reconfigure() {
    if (this.#stopped) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (isDirect(this.path.faults)) {
      const now = performance.now();
      for (let i = this.#head; i < this.#queue.length; i++) /** @type {Item} */ (this.#queue[i]).at = now;
      this.#stream.lastAt = now;
    }
    this.#release();
  }

  stop() {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue = [];
    this.#head = 0;
    this.#queuedBytes = 0;
  }
}
