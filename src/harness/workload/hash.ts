// Fixed, portable integer hashes. Derived facts (a customer's region, a product's price, the
// zipfian scramble, PRNG seeds) must not change with the Node version or the platform, so they
// come from these few lines rather than from anything built in.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the four little-endian bytes of a 32-bit integer (YCSB scrambles with FNV too). */
export function fnv1a32(value: number): number {
  let h = FNV_OFFSET;
  for (let shift = 0; shift < 32; shift += 8) {
    h = Math.imul(h ^ ((value >>> shift) & 0xff), FNV_PRIME);
  }
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of a string: turns a purpose name into a seed component. */
export function fnv1aString(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  }
  return h >>> 0;
}

function fold(h: number, word: number): number {
  // murmur3's finaliser after each word: every input bit affects every output bit.
  let x = Math.imul(h ^ word, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Mixes non-negative integers (up to 2^53) into one well-spread unsigned 32-bit value. */
export function mix32(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = fold(h, part >>> 0);
    // Seeds and ids above 2^32 must not collide with their low half.
    const high = Math.floor(part / 0x1_0000_0000) >>> 0;
    if (high !== 0) h = fold(h, high);
  }
  return h;
}
