import { describe, expect, it } from 'vitest';
import { BottomK, mixId } from '../../../../src/harness/report/html/digest/bottom-k.ts';
import { NOT_OK_SAMPLE, OK_SAMPLE, ScatterSample } from '../../../../src/harness/report/html/digest/scatter-sample.ts';

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ids = Array.from({ length: 20_000 }, (_, i) => i + 1);

describe('BottomK', () => {
  it('keeps at most k items, the same ones whatever the order they arrive in', () => {
    const sample = (order: readonly number[]) => {
      const k = new BottomK<number>(500);
      for (const id of order) k.offer(id, id);
      return k.values().sort((a, b) => a - b);
    };
    const inOrder = sample(ids);
    expect(inOrder).toHaveLength(500);
    expect(sample(shuffled(ids, 7))).toEqual(inOrder);
    expect(sample([...ids].reverse())).toEqual(inOrder);
  });

  it('keeps exactly the k smallest hashes (a uniform sample, spread over the whole stream)', () => {
    const k = new BottomK<number>(100);
    for (const id of ids) k.offer(id, id);
    const expected = [...ids].sort((a, b) => mixId(a) - mixId(b) || a - b).slice(0, 100).sort((a, b) => a - b);
    const kept = k.values().sort((a, b) => a - b);
    expect(kept).toEqual(expected);
    // Not the first or last ids of the stream: spread out.
    expect(kept.filter((id) => id <= 10_000).length).toBeGreaterThan(30);
    expect(kept.filter((id) => id > 10_000).length).toBeGreaterThan(30);
  });

  it('keeps everything while under k, and nothing with k = 0', () => {
    const k = new BottomK<string>(10);
    for (const id of [3, 1, 2]) k.offer(id, `op${id}`);
    expect(k.values().sort()).toEqual(['op1', 'op2', 'op3']);
    const none = new BottomK<number>(0);
    none.offer(1, 1);
    expect(none.values()).toEqual([]);
  });
});

describe('ScatterSample', () => {
  const feed = (order: readonly number[]) => {
    const sample = new ScatterSample(1_000);
    for (const id of order) {
      const failed = id % 97 === 0;
      // 60 s of operations; id 12345 is the one very slow outlier.
      sample.add(id, id % 3 === 0 ? 'checkout' : 'view-product', failed ? 'fail' : 'ok', (id * 3) % 60_000, id === 12_345 ? 5_000 : 1 + (id % 50) / 10);
    }
    return sample.points(60_000);
  };

  it('is deterministic and bounded: same history, same points, whatever the completion order', () => {
    const points = feed(ids);
    expect(points.length).toBeLessThanOrEqual(OK_SAMPLE + NOT_OK_SAMPLE + 60);
    expect(feed(shuffled(ids, 99))).toEqual(points);
    expect(points.map((p) => p.id)).toEqual([...points.map((p) => p.id)].sort((a, b) => a - b));
  });

  it('keeps the slowest operation of each bucket and the rare failures', () => {
    const points = feed(ids);
    expect(points.find((p) => p.id === 12_345)?.ms).toBe(5_000);
    const failures = ids.filter((id) => id % 97 === 0).length;
    expect(failures).toBeLessThan(NOT_OK_SAMPLE);
    expect(points.filter((p) => p.outcome === 'fail')).toHaveLength(failures);
  });

  it('leaves out operations that started after the end', () => {
    expect(feed(ids).every((p) => p.t < 30)).toBe(false);
    const sample = new ScatterSample(1_000);
    sample.add(1, 'checkout', 'ok', 500, 1);
    sample.add(2, 'checkout', 'ok', 2_500, 1);
    expect(sample.points(2_000).map((p) => p.id)).toEqual([1]);
  });
});
