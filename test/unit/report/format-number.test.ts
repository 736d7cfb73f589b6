import { describe, expect, it } from 'vitest';
import { formatCount, formatDecimal, formatPercent } from '../../../src/harness/report/format-number.ts';

describe('formatDecimal', () => {
  it.each([
    [0, '0'],
    [0.0421, '0.042'],
    [0.42, '0.42'],
    [4.2137, '4.21'],
    [42.137, '42.1'],
    [421.37, '421'],
    [5003.1, '5,003'],
    [-3.5, '-3.50'],
    [Number.NaN, '–'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%d → %s', (value, text) => {
    expect(formatDecimal(value)).toBe(text);
  });

  it('shows a dash for a null that came back from JSON (NaN serialises as null)', () => {
    expect(formatDecimal(JSON.parse('null') as number)).toBe('–');
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(-1_000)).toBe('-1,000');
  });
});

describe('formatPercent', () => {
  it('divides, or dashes when there is nothing to divide by', () => {
    expect(formatPercent(37, 24_690)).toBe('0.15%');
    expect(formatPercent(1, 0)).toBe('–');
  });
});
