import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyLine } from '../../../src/harness/history/history-line.ts';
import { readHistory } from '../../../src/harness/history/history-reader.ts';
import { spillPathOf } from '../../../src/harness/history/history-spill.mjs';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { settleRunHistory } from '../../../src/harness/history/settle-run-history.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

// A run in load threads killed with SIGKILL: its folder holds the main history (maybe only its
// spill), each thread's history file (maybe only its spill), never merged. `faultline report`
// settles them into the one time-ordered history.jsonl a finished run has.

const invoke = (id: number, worker: number, time: number): HistoryEvent => ({ type: 'invoke', id, f: 'view-product', worker, node: 'primary', time });
const ok = (id: number, worker: number, time: number): HistoryEvent => ({ type: 'ok', id, f: 'view-product', worker, node: 'primary', time, latency: 1 });
const lines = (events: readonly HistoryEvent[]) => events.map((e) => `${historyLine(e)}\n`).join('');

/** The spill a HistoryWriter leaves of `events` (as a kill would find it), written at `path`'s spill. */
async function spillOnly(path: string, events: readonly HistoryEvent[]): Promise<void> {
  const source = join(await scratchDir('settle-run-history-source'), 'history.jsonl');
  const writer = new HistoryWriter(source);
  for (const event of events) writer.append(event);
  writer.flush();
  let bytes = Buffer.alloc(0);
  for (let waited = 0; bytes.length === 0; waited += 20) {
    if (waited > 10_000) throw new Error('the history worker spilled nothing in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
    bytes = await readFile(spillPathOf(source)).catch(() => Buffer.alloc(0));
  }
  await writer.close();
  await writeFile(spillPathOf(path), bytes);
}

async function read(path: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const event of readHistory(path)) events.push(event);
  return events;
}

describe('settling a killed run history', () => {
  it('merges every thread file, printed or only spilled, into history.jsonl by time and removes them', async () => {
    const folder = await scratchDir('settle-run-history');
    const history = join(folder, 'history.jsonl');
    await writeFile(history, lines([{ type: 'phase', phase: 'warmup', time: 0, wallClock: '2026-12-07T00:00:00.000Z' }, { type: 'phase', phase: 'run', time: 5, wallClock: '2026-12-07T00:00:00.005Z' }]));
    await writeFile(join(folder, 'history-thread-1.jsonl'), lines([invoke(1, 0, 1), ok(1, 0, 2), invoke(3, 0, 6)]));
    await spillOnly(join(folder, 'history-thread-2.jsonl'), [invoke(2, 1, 1.5), ok(2, 1, 7)]);
    // Thread 10 sorts after thread 2 (file order breaks ties in time).
    await writeFile(join(folder, 'history-thread-10.jsonl'), lines([invoke(10, 9, 7)]));

    expect(await settleRunHistory(history)).toEqual({ threadFiles: 3 });
    const events = await read(history);
    expect(events.map((e) => e.time)).toEqual([0, 1, 1.5, 2, 5, 6, 7, 7]);
    expect(events.filter((e) => e.type === 'invoke').map((e) => (e as { id: number }).id)).toEqual([1, 2, 3, 10]);
    expect(events.slice(-2).map((e) => (e as { worker: number }).worker)).toEqual([1, 9]);
    expect((await readdir(folder)).sort()).toEqual(['history.jsonl']);
  });

  it('prints the main history from its spill when the harness died before printing it', async () => {
    const folder = await scratchDir('settle-run-history');
    const history = join(folder, 'history.jsonl');
    await spillOnly(history, [{ type: 'phase', phase: 'warmup', time: 0, wallClock: '2026-12-07T00:00:00.000Z' }]);
    await writeFile(join(folder, 'history-thread-1.jsonl'), lines([invoke(1, 0, 1)]));
    expect(await settleRunHistory(history)).toEqual({ threadFiles: 1 });
    expect((await read(history)).map((e) => e.type)).toEqual(['phase', 'invoke']);
  });

  it('leaves a one-thread run history as it was, and creates none where there was nothing', async () => {
    const folder = await scratchDir('settle-run-history');
    const history = join(folder, 'history.jsonl');
    const text = lines([invoke(1, 0, 1), ok(1, 0, 2)]);
    await writeFile(history, text);
    expect(await settleRunHistory(history)).toEqual({ threadFiles: 0 });
    expect(await readFile(history, 'utf8')).toBe(text);
    const empty = await scratchDir('settle-run-history');
    expect(await settleRunHistory(join(empty, 'history.jsonl'))).toEqual({ threadFiles: 0 });
    expect(await readdir(empty)).toEqual([]);
  });
});
