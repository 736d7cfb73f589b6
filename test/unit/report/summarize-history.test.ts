import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarizeHistory } from '../../../src/harness/report/summarize-history.ts';

// A killed run's history read back into the figures the run would have reported: crafted
// histories, so each rule (warmup left out, in-flight operations, faults, a cut last line) shows.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-summary-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (event: object) => `${JSON.stringify(event)}\n`;
const invoke = (id: number, time: number, extra: object = {}) => line({ type: 'invoke', id, f: 'view-product', worker: id % 2, node: 'primary', time, value: {}, ...extra });
const done = (type: string, id: number, time: number, latency: number, extra: object = {}) =>
  line({ type, id, f: 'view-product', worker: id % 2, node: 'primary', time, latency, ...extra });

async function history(text: string): Promise<string> {
  const file = join(dir, 'history.jsonl');
  await writeFile(file, text);
  return file;
}

describe('summarising a history a killed run left', () => {
  it('counts only operations meant to start after warmup, and ends the measured phase at its last completion', async () => {
    const file = await history(
      line({ type: 'phase', phase: 'warmup', time: 100, wallClock: '2026-12-06T16:00:00.000Z' }) +
        invoke(1, 110) + done('ok', 1, 120, 10) + // warmup: left out
        invoke(2, 160) + done('ok', 2, 165, 5) +
        invoke(3, 170) + done('fail', 3, 190, 20, { error: 'connection' }) +
        invoke(4, 200) + done('info', 4, 240, 40, { error: 'timeout' }) +
        invoke(5, 250), // in flight when the harness died
      );
    const summary = await summarizeHistory(file, 50);
    const { operations, totals } = summary.recorder.summarize(summary.measuredMs);
    expect(summary.runStart).toBe(150);
    expect(summary.measuredMs).toBe(90);
    expect(totals).toMatchObject({ count: 3, ok: 1, fail: 1, info: 1 });
    expect(operations['view-product']?.errors).toEqual({ connection: 1, timeout: 1 });
    expect(summary.inFlight).toBe(1);
    expect(summary.events).toBe(10);
    expect(summary.lastTime).toBe(250);
    expect(summary.workers).toBe(2);
  });

  it('judges an open-loop operation by its intended start and counts its late start', async () => {
    const file = await history(
      line({ type: 'phase', phase: 'warmup', time: 0, wallClock: '2026-12-06T16:00:00.000Z' }) +
        invoke(1, 12, { intended: 9 }) + done('ok', 1, 14, 5) + // meant for warmup, started late into the run: not measured
        invoke(2, 30, { intended: 20 }) + done('ok', 2, 31, 11),
    );
    const summary = await summarizeHistory(file, 10);
    expect(summary.recorder.summarize(summary.measuredMs).totals.count).toBe(1);
    expect(summary.lateStarts).toBe(1);
  });

  it('places faults and failovers on the measured phase, an unhealed fault without an end', async () => {
    const file = await history(
      line({ type: 'phase', phase: 'warmup', time: 1_000, wallClock: '2026-12-06T16:00:00.000Z' }) +
        line({ type: 'fault', action: 'start', id: 1, kind: 'kill', targets: ['primary'], time: 3_000, wallClock: 'x' }) +
        line({ type: 'failover', from: 'primary', to: 'replica1', time: 5_500, detectedAt: 4_000 }) +
        line({ type: 'fault', action: 'end', id: 1, kind: 'kill', targets: ['primary'], time: 6_000, wallClock: 'x' }) +
        line({ type: 'fault', action: 'start', id: 2, kind: 'pause', targets: ['replica2'], time: 7_000, wallClock: 'x', error: 'no such process' }),
    );
    const summary = await summarizeHistory(file, 1_000);
    expect(summary.faults).toEqual([
      { id: 1, kind: 'kill', targets: ['primary'], startMs: 1_000, endMs: 4_000 },
      { id: 2, kind: 'pause', targets: ['replica2'], startMs: 5_000, error: 'no such process' },
    ]);
    expect(summary.failovers).toEqual([{ from: 'primary', to: 'replica1', detectedAtMs: 2_000, promotedAtMs: 3_500 }]);
  });

  it('skips a last line the kill cut short, and says which', async () => {
    const file = await history(line({ type: 'phase', phase: 'warmup', time: 0, wallClock: 'x' }) + invoke(1, 1) + '{"type":"ok","id":1,"f":"vie');
    const summary = await summarizeHistory(file, 0);
    expect(summary.truncatedLine).toBe(3);
    expect(summary.inFlight).toBe(1);
  });

  it('a run killed before its load measured nothing', async () => {
    const file = await history('');
    const summary = await summarizeHistory(file, 1_000);
    expect(summary).toMatchObject({ events: 0, measuredMs: 0, inFlight: 0 });
    expect(summary.runStart).toBeUndefined();
  });
});
