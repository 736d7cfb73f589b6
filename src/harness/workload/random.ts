import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { fnv1aString, mix32 } from './hash.ts';

/** A seeded, mutable source of randomness. Same seed, purpose and index: same sequence. */
export interface Random {
  /** Integer in [min, max], both included, without modulo bias. */
  int(min: number, max: number): number;
  /** Float in [0, 1). */
  float(): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

class PureRandom implements Random {
  constructor(private readonly rng: RandomGenerator) {}

  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  float(): number {
    return uniformFloat64(this.rng);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[uniformInt(this.rng, 0, items.length - 1)]!;
  }
}

/**
 * Streams with the same seed but different purposes are unrelated. Streams that differ only by
 * index (one per worker) are `index` xoroshiro jumps apart (2^64 draws each), which pure-rand
 * recommends over nearby seeds: their sequences can never overlap.
 */
export function createRandom(seed: number, purpose: string, index = 0): Random {
  if (!Number.isSafeInteger(index) || index < 0) throw new Error(`stream index must be a non-negative integer, got ${index}`);
  return new PureRandom(jumpedStream(seed, purpose, index));
}

/**
 * Every CHECKPOINT-th stream of a (seed, purpose) is kept, so stream `index` costs at most
 * CHECKPOINT jumps from the nearest one below it instead of `index` jumps from the start: the
 * streams of n workers cost O(n) jumps in all, not O(n²) (100,000 workers took minutes).
 */
const CHECKPOINT = 64;
const checkpoints = new Map<string, JumpableRandomGenerator[]>();

function jumpedStream(seed: number, purpose: string, index: number): JumpableRandomGenerator {
  const key = `${seed}\u0000${purpose}`;
  let kept = checkpoints.get(key);
  if (!kept) {
    kept = [xoroshiro128plus(mix32(seed, fnv1aString(purpose)) | 0)];
    // A long-lived process (the test runner, a matrix) sees few purposes; keep their checkpoints bounded anyway.
    if (checkpoints.size > 256) checkpoints.clear();
    checkpoints.set(key, kept);
  }
  const slot = Math.floor(index / CHECKPOINT);
  while (kept.length <= slot) {
    const next = kept.at(-1)!.clone();
    for (let i = 0; i < CHECKPOINT; i++) next.jump();
    kept.push(next);
  }
  const rng = kept[slot]!.clone();
  for (let i = slot * CHECKPOINT; i < index; i++) rng.jump();
  return rng;
}

/**
 * k distinct integers from [1, n] (Floyd's algorithm: k draws, no retries), in ascending order.
 * Callers must have k <= n.
 */
export function sampleDistinct(random: Random, n: number, k: number): number[] {
  const chosen = new Set<number>();
  for (let j = n - k + 1; j <= n; j++) {
    const t = random.int(1, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
