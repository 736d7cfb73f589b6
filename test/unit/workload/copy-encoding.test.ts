import { describe, expect, it } from 'vitest';
import { encodeCell, encodeRow } from '../../../src/harness/workload/ecommerce/copy-load.ts';

describe('COPY text encoding', () => {
  it('escapes backslash, tab, newline and carriage return', () => {
    expect(encodeCell('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('writes NULL, booleans, numbers and number arrays in PostgreSQL text form', () => {
    expect(encodeCell(null)).toBe('\\N');
    expect(encodeCell(true)).toBe('t');
    expect(encodeCell(false)).toBe('f');
    expect(encodeCell(42)).toBe('42');
    expect(encodeCell([])).toBe('{}');
    expect(encodeCell([3, 14])).toBe('{3,14}');
  });

  it('keeps the literal string \\N distinct from NULL', () => {
    expect(encodeCell('\\N')).toBe('\\\\N');
  });

  it('separates cells with tabs and ends rows with a newline', () => {
    expect(encodeRow([1, "O'Brien", null])).toBe("1\tO'Brien\t\\N\n");
  });

  it('refuses numbers COPY cannot read', () => {
    expect(() => encodeCell(Number.NaN)).toThrow();
  });
});
