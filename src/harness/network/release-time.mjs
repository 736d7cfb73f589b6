// @ts-check
// When a chunk crossing a faulty link may be delivered. Plain JavaScript because it runs inside
// the link worker, which starts without a TypeScript loader (see link-proxy.ts); typed by
// release-time.d.mts and checked with JSDoc.

/** @typedef {import('./link-faults.ts').ResolvedFaults} ResolvedFaults */

/**
 * Link bandwidth is modelled as serialisation: a chunk occupies the path for bytes / rate, after
 * whatever is already on it, and is released when its last byte is through. Slicing big chunks
 * to 10 ms worth of bytes makes a 64 KiB write trickle out as it would over a slow link instead
 * of arriving as one burst after half a second.
 * @param {number} bytesPerSecond
 * @returns {number}
 */
export function sliceBytes(bytesPerSecond) {
  return bytesPerSecond > 0 ? Math.max(1, Math.floor(bytesPerSecond / 100)) : Number.POSITIVE_INFINITY;
}

/**
 * The delivery time (performance.now() milliseconds) of `bytes` arriving at `now`.
 * Release times of one stream never decrease, so jitter delays chunks but cannot reorder them:
 * TCP delivers a byte stream in order whatever the packets did.
 * @param {{ lastAt: number }} stream one direction of one connection; lastAt is updated
 * @param {{ busyUntil: number }} path one direction of the link, shared by its connections; updated
 * @param {ResolvedFaults} faults
 * @param {number} now
 * @param {number} bytes 0 for a FIN or an RST, which take the latency but no bandwidth
 * @param {() => number} [random] uniform in [0, 1)
 * @returns {number}
 */
export function releaseTime(stream, path, faults, now, bytes, random = Math.random) {
  let at = now;
  if (faults.bytesPerSecond > 0 && bytes > 0) {
    path.busyUntil = Math.max(now, path.busyUntil) + (bytes * 1000) / faults.bytesPerSecond;
    at = path.busyUntil;
  }
  if (faults.delayMs > 0 || faults.jitterMs > 0) {
    at += Math.max(0, faults.delayMs + faults.jitterMs * (2 * random() - 1));
  }
  at = Math.max(at, stream.lastAt);
  stream.lastAt = at;
  return at;
}

/**
 * Whether a direction forwards straight through (no queue, no timer): the zero-fault fast path.
 * @param {ResolvedFaults} faults
 * @returns {boolean}
 */
export function isDirect(faults) {
  return faults.mode === 'pass' && faults.delayMs === 0 && faults.jitterMs === 0 && faults.bytesPerSecond === 0;
}
