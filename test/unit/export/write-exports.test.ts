import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeElleHistory } from '../../../src/harness/export/write-elle-history.ts';
import { renderHgrm, writeHgrmFiles } from '../../../src/harness/export/write-hgrm.ts';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
import { LatencyRecorder } from '../../../src/harness/metrics/latency-recorder.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hgrm files', () => {
  it('writes one HdrHistogram percentile distribution per measured operation, in milliseconds', async () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms++) recorder.record('checkout', 'ok', ms, undefined, true);
    recorder.record('view-product', 'ok', 0.25, undefined, true);
    recorder.record('order-history', 'ok', 5, undefined, false); // warmup: not measured, no file
    const paths = await writeHgrmFiles(dir, recorder.histograms());
    expect(paths.map((path) => path.slice(dir.length))).toEqual(['/hgrm/checkout.hgrm', '/hgrm/view-product.hgrm']);
    const text = await readFile(join(dir, 'hgrm', 'checkout.hgrm'), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('       Value     Percentile TotalCount 1/(1-Percentile)');
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^ +1\.000 0\.000000000000 +1 +1\.00$/);
    expect(text).toMatch(/^ +50\.015 0\.500000000000 +50 +2\.00$/m);
    expect(text).toMatch(/^ +100\.031 1\.000000000000 +100$/m);
    expect(text).toContain('#[Max     =      100.000, Total count    =          100]');
  });

  it('writes nothing for a run that measured nothing', async () => {
    expect(await writeHgrmFiles(dir, new Map())).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('renders an empty histogram as just the header and footer', () => {
    const empty = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
    expect(renderHgrm(empty)).toContain('Total count    =            0');
  });
});

describe('history.edn', () => {
  const events: HistoryEvent[] = [
    { type: 'phase', phase: 'warmup', time: 0, wallClock: '2026-01-01T00:00:00Z' },
    { type: 'invoke', id: 1, f: 'checkout', worker: 0, node: 'primary', time: 1, value: { orderId: 101, customerId: 3 } },
    { type: 'invoke', id: 2, f: 'order-history', worker: 1, node: 'replica1', time: 1.5, value: { customerId: 3 } },
    { type: 'ok', id: 1, f: 'checkout', worker: 0, node: 'primary', time: 2, latency: 1, value: { orderId: 101, customerId: 3, total: 9.5 } },
    { type: 'ok', id: 2, f: 'order-history', worker: 1, node: 'replica1', time: 2.5, latency: 1, value: { customerId: 3, orderIds: [101, 7] } },
  ];
  const writeHistory = async (list: HistoryEvent[]) => {
    const path = join(dir, 'history.jsonl');
    await writeFile(path, list.map((event) => `${JSON.stringify(event)}\n`).join(''));
    return path;
  };

  it('streams history.jsonl into one EDN map per line', async () => {
    const counts = await writeElleHistory(await writeHistory(events), join(dir, 'history.edn'), { firstWorkloadOrderId: 101, workers: 2 });
    expect(counts).toEqual({ appends: 1, reads: 1, fullPageReads: 0, unfinished: 0 });
    expect((await readFile(join(dir, 'history.edn'), 'utf8')).split('\n')).toEqual([
      '{:type :invoke, :f :txn, :value [[:append 3 101]], :time 1000000, :process 0, :index 0, :node "primary"}',
      '{:type :invoke, :f :txn, :value [[:r 3 nil]], :time 1500000, :process 1, :index 1, :node "replica1"}',
      '{:type :ok, :f :txn, :value [[:append 3 101]], :time 2000000, :process 0, :index 2, :node "primary"}',
      '{:type :ok, :f :txn, :value [[:r 3 [101]]], :time 2500000, :process 1, :index 3, :node "replica1"}',
      '',
    ]);
    expect((await readdir(dir)).sort()).toEqual(['history.edn', 'history.jsonl']); // no temp file left
  });

  it('handles a history longer than one write chunk', async () => {
    const many: HistoryEvent[] = [];
    for (let i = 0; i < 3000; i++) {
      many.push({ type: 'invoke', id: i, f: 'checkout', worker: 0, node: 'primary', time: i, value: { orderId: 1000 + i, customerId: 1 } });
      many.push({ type: 'ok', id: i, f: 'checkout', worker: 0, node: 'primary', time: i + 0.5, latency: 0.5, value: { orderId: 1000 + i, customerId: 1 } });
    }
    await writeElleHistory(await writeHistory(many), join(dir, 'history.edn'), { firstWorkloadOrderId: 1000, workers: 1 });
    const lines = (await readFile(join(dir, 'history.edn'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(6000);
    expect(lines.at(-1)).toBe('{:type :ok, :f :txn, :value [[:append 1 3999]], :time 2999500000, :process 0, :index 5999, :node "primary"}');
  });

  it('writes no file when nothing in the run fits the model', async () => {
    await writeElleHistory(await writeHistory([events[0]!]), join(dir, 'history.edn'), { firstWorkloadOrderId: 1, workers: 1 });
    expect(await readdir(dir)).toEqual(['history.jsonl']);
  });

  it('refuses to write a secret, and leaves no partial file behind', async () => {
    const leaky = events.map((event) => ('node' in event ? { ...event, node: 'host-s3cr3t' } : event));
    await expect(
      writeElleHistory(await writeHistory(leaky), join(dir, 'history.edn'), { firstWorkloadOrderId: 1, workers: 2 }, ['s3cr3t']),
    ).rejects.toThrow(/refusing to write a report/);
    expect(await readdir(dir)).toEqual(['history.jsonl']);
  });
});
