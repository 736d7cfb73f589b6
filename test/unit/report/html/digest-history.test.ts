import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyLine } from '../../../../src/harness/history/history-line.ts';
import type { HistoryEvent } from '../../../../src/harness/history/history-types.ts';
import { digestHistory } from '../../../../src/harness/report/html/digest/digest-history.ts';

// A hand-written history with known answers: warmup at t=1000 on the run clock, 2 s of warmup,
// so the measured run starts at 3000; everything the digest reports is relative to that.

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-digest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const WALL = '2026-11-21T14:05:09.000Z';
const op = (id: number, type: 'ok' | 'fail' | 'info', f: 'checkout' | 'view-product', invoke: number, latency: number): HistoryEvent[] => [
  { type: 'invoke', id, f, worker: 0, node: 'primary', time: invoke, value: { customerId: 1, note: 'x,"value":y' } },
  { type, id, f, worker: 0, node: 'primary', time: invoke + latency, latency, ...(type === 'ok' ? { value: { orderId: id } } : { error: 'connection' }) },
];

const EVENTS: HistoryEvent[] = [
  { type: 'roles', time: 900, writable: ['primary'] },
  { type: 'phase', phase: 'warmup', time: 1000, wallClock: WALL },
  ...op(1, 'ok', 'checkout', 1500, 10), // warmup: left out
  { type: 'lag', node: 'replica1', time: 2000, stalenessMs: 99 }, // warmup: left out
  { type: 'phase', phase: 'run', time: 3001, wallClock: WALL },
  ...op(2, 'ok', 'checkout', 3100, 10),
  ...op(3, 'ok', 'checkout', 3200, 30),
  ...op(4, 'ok', 'view-product', 3300, 1),
  { type: 'fault', action: 'start', id: 1, kind: 'kill', targets: ['primary'], time: 4000, wallClock: WALL },
  { type: 'roles', time: 4050, writable: [] },
  ...op(5, 'fail', 'checkout', 4100, 2),
  ...op(6, 'info', 'checkout', 4200, 500),
  { type: 'lag', node: 'replica1', time: 4300, stalenessMs: 40, replayLagMs: 3 },
  { type: 'lag', node: 'replica1', time: 4400, stalenessMs: 80, replayLagMs: 1 },
  { type: 'lag', node: 'replica2', time: 4400, stalenessMs: 5 },
  { type: 'roles', time: 4900, writable: ['replica1'] },
  { type: 'failover', from: 'primary', to: 'replica1', time: 4910, detectedAt: 4700 },
  { type: 'fault', action: 'end', id: 1, kind: 'kill', targets: ['primary'], time: 5500, wallClock: WALL },
  ...op(7, 'ok', 'checkout', 5600, 8),
];

async function historyFile(name: string, events: readonly HistoryEvent[], tail = ''): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${events.map((event) => historyLine(event)).join('\n')}\n${tail}`);
  return path;
}

describe('digestHistory', () => {
  it('puts time 0 at the end of warmup and leaves warmup out', async () => {
    const digest = await digestHistory(await historyFile('basic.jsonl', EVENTS), { warmupMs: 2000, measuredMs: 3000, plannedMs: 3000 });
    expect(digest.endSeconds).toBe(3);
    expect(digest.bucketSeconds).toBe(1);
    expect(digest.completions).toBe(6);
    expect(digest.lines).toBe(EVENTS.length);
    expect(digest.skippedLines).toBe(0);
    expect(digest.faults).toEqual([{ id: 1, kind: 'kill', targets: ['primary'], startMs: 1000, endMs: 2500 }]);
  });

  it('gives p50 and p99 per operation per bucket, by start time, at the bucket middle', async () => {
    const digest = await digestHistory(await historyFile('quantiles.jsonl', EVENTS), { warmupMs: 2000, measuredMs: 3000, plannedMs: 3000 });
    const at = (f: string, t: number, quantile: string) => digest.latency.find((p) => p.f === f && p.t === t && p.quantile === quantile)?.ms;
    expect(at('checkout', 0.5, 'p50')).toBeCloseTo(10, 0);
    expect(at('checkout', 0.5, 'p99')).toBeCloseTo(30, 0);
    expect(at('checkout', 1.5, 'p99')).toBeCloseTo(500, -1); // the info outcome's 500 ms counts
    expect(at('view-product', 0.5, 'p50')).toBeCloseTo(1, 1);
    expect(at('checkout', 2.5, 'p50')).toBeCloseTo(8, 0);
  });

  it('counts completions per second by outcome, empty seconds included', async () => {
    const digest = await digestHistory(await historyFile('outcomes.jsonl', EVENTS), { warmupMs: 2000, measuredMs: 3000, plannedMs: 3000 });
    expect(digest.outcomes).toEqual([
      { t: 0, ok: 3, fail: 0, info: 0 },
      { t: 1, ok: 0, fail: 1, info: 1 },
      { t: 2, ok: 1, fail: 0, info: 0 },
    ]);
  });

  it('keeps the worst lag per replica per bucket, and the writable spans of the run', async () => {
    const digest = await digestHistory(await historyFile('lag.jsonl', EVENTS), { warmupMs: 2000, measuredMs: 3000, plannedMs: 3000 });
    expect(digest.lag).toEqual([
      { t: 1.3, node: 'replica1', series: 'staleness', ms: 40 },
      { t: 1.3, node: 'replica1', series: 'replay lag', ms: 3 },
      { t: 1.4, node: 'replica1', series: 'staleness', ms: 80 },
      { t: 1.4, node: 'replica1', series: 'replay lag', ms: 1 },
      { t: 1.4, node: 'replica2', series: 'staleness', ms: 5 },
    ]);
    expect(digest.writable).toEqual([
      { node: 'primary', from: 0, to: 1.05 },
      { node: 'replica1', from: 1.9, to: 3 },
    ]);
    expect(digest.writableChanged).toBe(true);
    expect(digest.scatter.map((p) => [p.id, p.outcome])).toEqual([
      [2, 'ok'],
      [3, 'ok'],
      [4, 'ok'],
      [5, 'fail'],
      [6, 'info'],
      [7, 'ok'],
    ]);
  });

  it('skips a truncated last line and says so, and takes the end from the data when the run never finished', async () => {
    const path = await historyFile('truncated.jsonl', EVENTS, '{"type":"ok","id":8,"f":"checko');
    const digest = await digestHistory(path, { warmupMs: 2000, measuredMs: 0, plannedMs: 20_000 });
    expect(digest.skippedLines).toBe(1);
    expect(digest.completions).toBe(6);
    expect(digest.endSeconds).toBeCloseTo(2.6, 3);
  });

  it('yields nothing to chart for a history that never reached the load', async () => {
    const digest = await digestHistory(await historyFile('empty.jsonl', [{ type: 'roles', time: 10, writable: ['primary'] }]), {
      warmupMs: 1000,
      measuredMs: 0,
      plannedMs: 5000,
    });
    expect(digest.completions).toBe(0);
    expect(digest.latency).toEqual([]);
    expect(digest.outcomes).toEqual([]);
    expect(digest.scatter).toEqual([]);
  });

  it('widens buckets for long runs so no series passes ~600 points', async () => {
    const digest = await digestHistory(await historyFile('long.jsonl', EVENTS), { warmupMs: 2000, measuredMs: 3_600_000, plannedMs: 3_600_000 });
    expect(digest.bucketSeconds).toBe(6);
    expect(digest.outcomes.length).toBe(600);
  });
});
