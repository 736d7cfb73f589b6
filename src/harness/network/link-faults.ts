// What a link can do to the bytes crossing it, Toxiproxy's model cut down to what faultline's
// scenarios need: per direction a delay (with jitter), a bandwidth, and a mode. A link's faults
// are always set as a whole, so a fault timeline never has to know what was set before.

/** Where a link forwards to. */
export interface Target {
  readonly host: string;
  readonly port: number;
}

/** 'upstream' is client → server, 'downstream' is server → client. */
export type Direction = 'upstream' | 'downstream';

/**
 * - pass: bytes flow (subject to latency and bandwidth).
 * - blackhole: nothing is forwarded in this direction and nothing is lost either: the proxy stops
 *   reading, so the sender's buffers fill and its writes block, and held bytes (and a FIN or
 *   RST) arrive after the heal, in order, as TCP retransmission delivers them after a partition.
 *   New connections are still accepted; they hang.
 * - reset: TCP has no one-way reset, so 'reset' in either direction resets the whole
 *   connection: existing ones get an RST on both sides, new ones are reset at once.
 */
export type LinkMode = 'pass' | 'blackhole' | 'reset';

export interface Latency {
  readonly delayMs: number;
  /** Each chunk's delay is uniform in delayMs ± jitterMs, but never overtakes an earlier chunk. */
  readonly jitterMs?: number;
}

/** Shared by every connection of the link in that direction, as one network path is. */
export interface Bandwidth {
  readonly bytesPerSecond: number;
}

export interface DirectionFaults {
  readonly mode?: LinkMode;
  readonly latency?: Latency;
  readonly bandwidth?: Bandwidth;
}

/** The whole fault state of a link: one setting for both directions, or one per direction. */
export type LinkFaults =
  | { readonly both: DirectionFaults; readonly upstream?: never; readonly downstream?: never }
  | { readonly both?: never; readonly upstream?: DirectionFaults; readonly downstream?: DirectionFaults };

/** What the worker applies: both directions spelled out, defaults filled in. */
export interface ResolvedFaults {
  readonly mode: LinkMode;
  readonly delayMs: number;
  readonly jitterMs: number;
  /** 0 means unlimited. */
  readonly bytesPerSecond: number;
}

export type ResolvedLinkFaults = Readonly<Record<Direction, ResolvedFaults>>;

export const NO_FAULTS: ResolvedFaults = { mode: 'pass', delayMs: 0, jitterMs: 0, bytesPerSecond: 0 };

export interface LinkStats {
  readonly connectionsOpen: number;
  /** Every connection accepted, including those a reset fault closed at once. */
  readonly connectionsTotal: number;
  /** Bytes delivered to the other side, per direction (held or queued bytes are not counted). */
  readonly bytes: Readonly<Record<Direction, number>>;
}

function nonNegative(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number >= 0, got ${value}`);
  return value;
}

function resolveDirection(faults: DirectionFaults | undefined): ResolvedFaults {
  if (!faults) return NO_FAULTS;
  const mode = faults.mode ?? 'pass';
  if (mode !== 'pass' && mode !== 'blackhole' && mode !== 'reset') throw new RangeError(`unknown link mode ${String(mode)}`);
  const bytesPerSecond = faults.bandwidth ? nonNegative(faults.bandwidth.bytesPerSecond, 'bandwidth.bytesPerSecond') : 0;
  if (faults.bandwidth && bytesPerSecond === 0) throw new RangeError('bandwidth.bytesPerSecond must be > 0 (use blackhole to stop a link)');
  return {
    mode,
    delayMs: faults.latency ? nonNegative(faults.latency.delayMs, 'latency.delayMs') : 0,
    jitterMs: faults.latency ? nonNegative(faults.latency.jitterMs ?? 0, 'latency.jitterMs') : 0,
    bytesPerSecond,
  };
}

/** Validates in the caller's thread, so a bad fault throws where it was written. */
export function resolveFaults(faults: LinkFaults): ResolvedLinkFaults {
  if (faults.both) {
    const both = resolveDirection(faults.both);
    return { upstream: both, downstream: both };
  }
  return { upstream: resolveDirection(faults.upstream), downstream: resolveDirection(faults.downstream) };
}

export const HEALED: ResolvedLinkFaults = { upstream: NO_FAULTS, downstream: NO_FAULTS };
