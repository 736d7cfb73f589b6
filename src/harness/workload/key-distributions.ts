import type { OperationSpec, WorkloadSpec } from '../scenario/schema.ts';
import { fnv1a32 } from './hash.ts';
import type { Random } from './random.ts';

// Key choosers over [1..n], after YCSB's generators. Each is built once (the zipfian constants
// and scramble cost O(n)) and then costs O(1) per call; choosers hold no state of their own, the
// caller's Random does, so one chooser can serve every worker.

export type KeyDistributionName = NonNullable<OperationSpec['keys']>;
export type KeyDistributionParams = WorkloadSpec['keyDistributions'];

/** Returns a key in [1, n]. */
export type KeyChooser = (random: Random) => number;

export function createKeyChooser(name: KeyDistributionName, n: number, params: KeyDistributionParams): KeyChooser {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`a key space needs at least one key, got ${n}`);
  switch (name) {
    case 'uniform':
      return (random) => random.int(1, n);
    case 'zipfian':
      return scrambledZipfian(n, params.zipfianTheta);
    case 'hotspot':
      return hotspot(n, params.hotspotKeys, params.hotspotOps);
  }
}

/** Zeta(n, theta) = sum over i in [1, n] of 1 / i^theta (Gray et al., "Quickly generating billion-record synthetic databases"). */
export function zeta(n: number, theta: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / i ** theta;
  return sum;
}

/** YCSB's ZipfianGenerator: rank 0 is the most popular, rank n-1 the least. */
export function zipfianRanks(n: number, theta: number): (random: Random) => number {
  const zetan = zeta(n, theta);
  const alpha = 1 / (1 - theta);
  const secondThreshold = 1 + 0.5 ** theta;
  // For n <= 2 the two early returns below cover every draw, so eta's 0/0 is never used.
  const eta = (1 - (2 / n) ** (1 - theta)) / (1 - zeta(2, theta) / zetan);
  return (random) => {
    const u = random.float();
    const uz = u * zetan;
    if (uz < 1) return 0;
    if (uz < secondThreshold) return Math.min(1, n - 1);
    return Math.min(n - 1, Math.floor(n * (eta * u - eta + 1) ** alpha));
  };
}

/**
 * Zipfian ranks mapped to keys through a fixed FNV-ordered permutation, so the hot keys are
 * spread over the id space (YCSB's ScrambledZipfianGenerator) rather than being the lowest ids,
 * which would all land in one range partition. YCSB hashes ranks modulo n, which lets keys
 * collide and some keys never appear; a permutation keeps the configured theta exact.
 */
function scrambledZipfian(n: number, theta: number): KeyChooser {
  const rank = zipfianRanks(n, theta);
  const keyOfRank = scramblePermutation(n);
  return (random) => keyOfRank[rank(random)]!;
}

const permutations = new Map<number, Int32Array>();

/** Keys 1..n ordered by FNV-1a hash (ties by key): position r holds the key of rank r. */
export function scramblePermutation(n: number): Int32Array {
  const cached = permutations.get(n);
  if (cached) return cached;
  const hashes = new Uint32Array(n + 1);
  for (let key = 1; key <= n; key++) hashes[key] = fnv1a32(key);
  const keys = Int32Array.from({ length: n }, (_, i) => i + 1);
  keys.sort((a, b) => hashes[a]! - hashes[b]! || a - b);
  permutations.set(n, keys);
  return keys;
}

/**
 * YCSB's HotspotIntegerGenerator: the lowest `hotKeys` fraction of ids receives `hotOps` of the
 * operations, uniformly within the hot set, and the rest go uniformly to the cold set.
 */
function hotspot(n: number, hotKeys: number, hotOps: number): KeyChooser {
  const hotCount = Math.min(n, Math.max(1, Math.floor(n * hotKeys)));
  const coldCount = n - hotCount;
  if (coldCount === 0) return (random) => random.int(1, n);
  return (random) => (random.float() < hotOps ? random.int(1, hotCount) : hotCount + random.int(1, coldCount));
}
