// The time of a history line, read from its bytes without JSON.parse: merging load threads'
// histories (merge-histories.ts) reads the time of every line, and parsing whole lines to get it
// cost more than all the rest of the merge. Valid JSON is assumed; what is read is exactly the
// number JSON.parse would give for the object's own "time" key, wherever it sits in the line.

/** Exact powers of ten: an integer below 2^53 divided by one is the correctly rounded decimal, as Number() reads it. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

export const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0d;

/** The number of the key "time" at the top level of the object in buf[from, to); NaN when there is none. */
export function timeOf(buf: Buffer, from: number, to: number): number {
  // Any position: HistoryWriter prints events other than operations with JSON.stringify, and a
  // "time" inside a value (depth > 1) or inside a string is not the event's time.
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === 0x22) {
      const s = i + 1;
      for (i = s; i < to && buf[i] !== 0x22; i++) if (buf[i] === 0x5c) i++;
      if (depth !== 1 || i - s !== 4 || buf[s] !== 0x74 || buf[s + 1] !== 0x69 || buf[s + 2] !== 0x6d || buf[s + 3] !== 0x65) continue;
      let p = i + 1;
      while (isSpace(buf[p])) p++;
      if (buf[p] !== 0x3a) continue; // the string "time" as a value
      for (p++; isSpace(buf[p]); ) p++;
      return numberAt(buf, p, to);
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return Number.NaN;
}

/** The JSON number at buf[p]: plain decimals (run-clock times) by hand, others by Number(). */
function numberAt(buf: Buffer, p: number, to: number): number {
  const negative = buf[p] === 0x2d;
  let i = negative ? p + 1 : p;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let c = buf[i]; i < to; c = buf[++i]) {
    if (c !== undefined && c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 0x2e && fraction < 0) fraction = 0;
    else break;
  }
  if (digits === 0 || fraction === 0) return Number.NaN;
  if (digits > 15 || buf[i] === 0x65 || buf[i] === 0x45) {
    while (i < to && buf[i] !== 0x2c && buf[i] !== 0x7d && !isSpace(buf[i])) i++;
    return Number(buf.toString('latin1', p, i));
  }
  const value = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
  return negative ? -value : value;
}
