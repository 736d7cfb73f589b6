import { describe, expect, it } from 'vitest';
import { formatPath, parsePath } from '../../../src/harness/scenario/dotted-path.ts';

describe('dotted paths', () => {
  it('formats keys with dots, indices with brackets, odd keys quoted', () => {
    expect(formatPath(['workload', 'loop', 'rate'])).toBe('workload.loop.rate');
    expect(formatPath(['checks', 0])).toBe('checks[0]');
    expect(formatPath(['workload', 'operations', 'view-product', 'weight'])).toBe('workload.operations.view-product.weight');
    expect(formatPath(['topology', 'settings', 'Shared Buffers'])).toBe('topology.settings["Shared Buffers"]');
    expect(formatPath([])).toBe('');
  });

  it('parses what it formats', () => {
    for (const path of [['workload', 'loop', 'rate'], ['checks', 0], ['topology', 'settings', 'a b'], ['report', 'formats', 1]]) {
      expect(parsePath(formatPath(path))).toEqual(path);
    }
  });

  it('rejects empty segments', () => {
    for (const text of ['', '.a', 'a.', 'a..b', 'a[x]', 'a[']) expect(parsePath(text)).toBeUndefined();
  });
});
