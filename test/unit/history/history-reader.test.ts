import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryFormatError, readHistory } from '../../../src/harness/history/history-reader.ts';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

async function scratchFile(content: string): Promise<string> {
  const path = join(await scratchDir('history'), 'history.jsonl');
  await writeFile(path, content);
  return path;
}

async function collect(path: string, onTruncatedLine?: (line: number) => void): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const event of readHistory(path, onTruncatedLine ? { onTruncatedLine } : {})) events.push(event);
  return events;
}

const invoke = { type: 'invoke', id: 1, f: 'checkout', worker: 0, node: 'primary', time: 1.5, value: { orderId: 7, customerId: 3 } };
const ok = { type: 'ok', id: 1, f: 'checkout', worker: 0, node: 'primary', time: 3.25, latency: 1.75, value: { orderId: 7 } };
const lines = (...events: object[]) => events.map((event) => `${JSON.stringify(event)}\n`).join('');

describe('readHistory', () => {
  it('reads back what the HistoryWriter wrote, in order, every event type included', async () => {
    const dir = await scratchDir('history');
    const path = join(dir, 'history.jsonl');
    const written: HistoryEvent[] = [
      { type: 'phase', phase: 'run', time: 0, wallClock: '2026-01-01T00:00:00.000Z' },
      { type: 'invoke', id: 1, f: 'order-history', worker: 2, node: 'replica1', time: 1, value: { customerId: 9 } },
      { type: 'fault', action: 'start', id: 1, kind: 'kill', targets: ['primary'], time: 2, wallClock: '2026-01-01T00:00:00.002Z' },
      { type: 'lag', node: 'replica1', time: 2.5, stalenessMs: 40, replayLagMs: 12 },
      { type: 'failover', from: 'primary', to: 'replica1', time: 3, detectedAt: 2.7 },
      { type: 'roles', time: 3, writable: ['replica1'] },
      { type: 'info', id: 1, f: 'order-history', worker: 2, node: 'replica1', time: 4, latency: 3, error: 'timeout' },
    ];
    const writer = new HistoryWriter(path);
    for (const event of written) writer.append(event);
    await writer.close();
    expect(await collect(path)).toEqual(written);
  });

  it('streams a long history without holding it: a consumer can stop early', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({ ...invoke, id: i, time: i }));
    const path = await scratchFile(lines(...many));
    let seen = 0;
    for await (const event of readHistory(path)) {
      seen++;
      if (event.time >= 99) break;
    }
    expect(seen).toBe(100);
    expect((await collect(path)).length).toBe(20_000);
  });

  it('skips a truncated last line left by a killed harness, and says so', async () => {
    const path = await scratchFile(`${lines(invoke, ok)}{"type":"invoke","id":2,"f":"chec`);
    const truncated: number[] = [];
    const events = await collect(path, (line) => truncated.push(line));
    expect(events.map((event) => event.type)).toEqual(['invoke', 'ok']);
    expect(truncated).toEqual([3]);
  });

  it('treats a broken line followed only by blank lines as the truncated last line', async () => {
    const path = await scratchFile(`${lines(invoke)}{"type":"ok","id":1\n\n`);
    expect((await collect(path)).length).toBe(1);
  });

  it('reads a last line that lacks only its newline', async () => {
    const path = await scratchFile(`${lines(invoke)}${JSON.stringify(ok)}`);
    expect((await collect(path)).map((event) => event.type)).toEqual(['invoke', 'ok']);
  });

  it('refuses a broken line in the middle: that is corruption, not a truncated write', async () => {
    const path = await scratchFile(`${lines(invoke)}{"type":"ok",\n${lines(ok)}`);
    await expect(collect(path)).rejects.toBeInstanceOf(HistoryFormatError);
    await expect(collect(path)).rejects.toThrow(/:2: not a history event/);
  });

  it('refuses JSON that is not an event (no type or no time)', async () => {
    const path = await scratchFile(`${lines({ id: 1, time: 2 }, invoke)}`);
    await expect(collect(path)).rejects.toBeInstanceOf(HistoryFormatError);
  });

  it('skips blank lines and event types from newer writers', async () => {
    const path = await scratchFile(`\n${lines(invoke, { type: 'something-new', time: 2 })}\n${lines(ok)}`);
    await appendFile(path, '\n');
    expect((await collect(path)).map((event) => event.type)).toEqual(['invoke', 'ok']);
  });

  it('rejects (does not hang) when the file is missing', async () => {
    await expect(collect('/nonexistent/faultline/history.jsonl')).rejects.toThrow(/ENOENT/);
  });

  it('reads an empty file as an empty history', async () => {
    expect(await collect(await scratchFile(''))).toEqual([]);
  });
});
