// Numbers in report.md are for reading, not for computing (results.json keeps full precision):
// about three significant figures, thousands grouped, and a dash where there is no value.

export const NO_VALUE = '–';

/** An integer count: 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  const digits = Math.abs(Math.round(value)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0 && Math.round(value) !== 0 ? `-${digits}` : digits;
}

/**
 * A measurement such as a latency in ms or a rate in ops/s: 0.042, 0.42, 4.21, 42.1, 421, 4,210.
 * Two decimals where they carry information, fewer where they would be noise.
 */
export function formatDecimal(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return NO_VALUE;
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude < 1) return value.toPrecision(2);
  if (magnitude < 10) return value.toFixed(2);
  if (magnitude < 100) return value.toFixed(1);
  return formatCount(value);
}

/** `part` as a percentage of `whole`; a dash when there is no whole to divide by. */
export function formatPercent(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole === 0) return NO_VALUE;
  return `${formatDecimal((part / whole) * 100)}%`;
}
