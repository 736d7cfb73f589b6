import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyLine } from '../../../src/harness/history/history-line.ts';
import { readHistory } from '../../../src/harness/history/history-reader.ts';
import { INTERN_MAX_COUNT } from '../../../src/harness/history/history-record-format.mjs';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
import { settleHistory, spillPathOf } from '../../../src/harness/history/history-spill.mjs';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

// The driver's thread encodes binary records and a worker thread prints history.jsonl: what lands
// in the file must be, byte for byte, the line historyLine() gives (JSON.stringify's meaning for
// values), in the order recorded, and a killed harness must leave a readable partial history.

async function scratch(): Promise<string> {
  return join(await scratchDir('history-writer'), 'history.jsonl');
}

async function written(events: readonly HistoryEvent[]): Promise<string[]> {
  const path = await scratch();
  const writer = new HistoryWriter(path);
  for (const event of events) writer.append(event);
  await writer.close();
  return (await readFile(path, 'utf8')).split('\n').slice(0, -1);
}

class Money {
  constructor(readonly cents: number) {}
}

const odd: Record<string, unknown> = {
  text: 'é "quoted" \\ \n \u2028 \u0001 😀',
  long: 'x'.repeat(200),
  numbers: [0, -0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 53, 0.1, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, -1.5],
  holes: [undefined, () => 1, Symbol('s'), null],
  skipped: undefined,
  fn: () => 1,
  nested: { a: [{ b: { c: [true, false, null] } }], empty: {}, none: [] },
  date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  money: new Money(1250),
  custom: { toJSON: () => ({ replaced: true }) },
  bare: Object.assign(Object.create(null) as object, { z: 1, y: 'two' }),
  7: 'integer key first',
};

const events: HistoryEvent[] = [
  { type: 'phase', phase: 'run', time: 1, wallClock: '2026-11-21T00:00:00.000Z' },
  { type: 'invoke', id: 1, f: 'checkout', worker: 3, node: 'primary', time: 12.5, value: { orderId: 7, items: [{ productId: 1, quantity: 2 }] } },
  { type: 'invoke', id: 2, f: 'view-product', worker: 0, node: 'replica1', time: 0.001, intended: 0 },
  { type: 'invoke', id: 3, f: 'restock', worker: 2 ** 40, node: 'n', time: performance.now(), intended: performance.now() - 0.3, value: odd },
  { type: 'ok', id: 1, f: 'checkout', worker: 3, node: 'primary', time: 14, latency: 1.5, value: { orderId: 7, customerId: 9, total: 12.34 } },
  { type: 'info', id: 3, f: 'restock', worker: 1, node: 'odd "node"\n', time: 3, latency: 2, error: 'pg:40001 "quoted"', value: odd },
  { type: 'fail', id: 4, f: 'add-to-cart', worker: 1, node: 'replica2', time: 3, latency: 2, error: 'out-of-stock' },
  { type: 'fault', action: 'start', id: 1, kind: 'kill', targets: ['primary'], time: 2, wallClock: '2026-01-01T00:00:00.002Z' },
  { type: 'ok', id: 5, f: 'view-product', worker: 0, node: 'replica1', time: Number.MAX_VALUE, latency: 5e-324, value: { found: true } },
];

/** Chunks of a spill that are there whole (a u32 length, then that many bytes). */
function wholeChunks(bytes: Buffer): number {
  let count = 0;
  for (let at = 0; at + 4 <= bytes.length && at + 4 + bytes.readUInt32LE(at) <= bytes.length; at += 4 + bytes.readUInt32LE(at)) count++;
  return count;
}

describe('HistoryWriter', () => {
  it('writes each event as exactly the line historyLine() gives, whatever its values hold', async () => {
    const lines = await written(events);
    expect(lines).toEqual(events.map((event) => historyLine(event)));
    // And that line is the event's JSON, field for field.
    for (const [i, line] of lines.entries()) expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(events[i])));
  });

  it('keeps the order of a long history across many chunks', async () => {
    const many: HistoryEvent[] = [];
    for (let id = 1; id <= 10_000; id++) {
      many.push({ type: 'invoke', id, f: 'checkout', worker: id % 8, node: 'primary', time: id, value: { orderId: id, items: [{ productId: id % 97, quantity: 1 }], paymentMethod: `m${id % 5}` } });
      if (id % 1000 === 0) many.push({ type: 'roles', time: id, writable: ['primary'] });
      many.push({ type: 'ok', id, f: 'checkout', worker: id % 8, node: 'primary', time: id + 0.5, latency: 0.5 });
    }
    // Joined: one string comparison, much faster than 20,000 elements' deep equality.
    expect((await written(many)).join('\n')).toBe(many.map((event) => historyLine(event)).join('\n'));
  });

  it('stays right when its table of interned strings fills and starts again', async () => {
    const many: HistoryEvent[] = Array.from({ length: INTERN_MAX_COUNT + 500 }, (_, i) => ({
      type: 'fail',
      id: i,
      f: 'add-to-cart',
      worker: 0,
      node: `node-${i % 3}`,
      time: i,
      latency: 1,
      error: `class-${i % 7}`,
      value: { [`key-${i}`]: `value-${i}` },
    }));
    expect((await written(many)).join('\n')).toBe(many.map((event) => historyLine(event)).join('\n'));
  });

  it('throws as JSON.stringify does for a value JSON cannot hold, and leaves no trace of it', async () => {
    const path = await scratch();
    const writer = new HistoryWriter(path);
    const bad = { type: 'invoke', id: 1, f: 'checkout', worker: 0, node: 'new-node', time: 1, value: { newKey: 'new text', amount: 10n } } as const;
    expect(() => writer.invoke(bad)).toThrow(/BigInt/);
    // The names and strings that record introduced must not be taken as known afterwards.
    const good: HistoryEvent = { type: 'invoke', id: 2, f: 'checkout', worker: 0, node: 'new-node', time: 2, value: { newKey: 'new text' } };
    writer.invoke(good);
    await writer.close();
    expect(await readFile(path, 'utf8')).toBe(`${historyLine(good)}\n`);
  });

  it('rejects on close, naming the file, when the history cannot be written', async () => {
    const path = join(await scratchDir('history-writer'), 'missing-dir', 'history.jsonl');
    const writer = new HistoryWriter(path);
    writer.append(events[1]!);
    await expect(writer.close()).rejects.toThrow(/cannot write .*missing-dir.*history\.jsonl/);
  });

  it('ignores events after close, and close can be called twice', async () => {
    const path = await scratch();
    const writer = new HistoryWriter(path);
    writer.append(events[1]!);
    await writer.close();
    writer.append(events[2]!);
    await writer.close();
    expect(await readFile(path, 'utf8')).toBe(`${historyLine(events[1]!)}\n`);
  });

  it('prints everything by close and leaves no spill behind', async () => {
    const path = await scratch();
    const writer = new HistoryWriter(path);
    for (let id = 1; id <= 20_000; id++) writer.invoke({ type: 'invoke', id, f: 'view-product', worker: id % 8, node: 'primary', time: id, value: { productId: id } });
    await writer.close();
    expect((await readFile(path, 'utf8')).split('\n').length - 1).toBe(20_000);
    await expect(stat(spillPathOf(path))).rejects.toThrow(/ENOENT/);
  });

  it('leaves a history whole up to its last spilled chunk when the harness is killed with SIGKILL while recording', async () => {
    const path = await scratch();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/record-until-killed.ts', import.meta.url)), path], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      // Spilled within about a second of being recorded (the writer's flush), never only at close.
      for (let waited = 0; ((await stat(spillPathOf(path)).catch(() => undefined))?.size ?? 0) < 200_000; waited += 50) {
        if (waited > 30_000) throw new Error('the recording child spilled nothing in 30 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // What the worker printed before the kill may lag the spill; settling prints the spill whole.
    const printed = (await readFile(path, 'utf8').catch(() => '')).split('\n').length - 1;
    expect(settleHistory(path)).toBe(true);
    await expect(stat(spillPathOf(path))).rejects.toThrow(/ENOENT/);
    const read: HistoryEvent[] = [];
    for await (const event of readHistory(path)) read.push(event);
    expect(read.length).toBeGreaterThan(100);
    expect(read.length).toBeGreaterThanOrEqual(printed);
    // Whole events in the order recorded: invoke then its ok, ids without a gap.
    read.forEach((event, i) => {
      expect(event.type).toBe(i % 2 === 0 ? 'invoke' : 'ok');
      expect((event as { id: number }).id).toBe(Math.floor(i / 2) + 1);
    });
    expect(settleHistory(path)).toBe(false);
  });

  it('settles a spill cut short inside a chunk (a kill mid-write) to its whole chunks', async () => {
    const path = await scratch();
    const writer = new HistoryWriter(path);
    // Two chunks: the first flushed alone, the second cut in half below.
    for (let id = 1; id <= 100; id++) writer.invoke({ type: 'invoke', id, f: 'view-product', worker: 0, node: 'primary', time: id });
    writer.flush();
    for (let id = 101; id <= 200; id++) writer.invoke({ type: 'invoke', id, f: 'view-product', worker: 0, node: 'primary', time: id });
    writer.flush();
    // Wait until both are spilled (the worker writes them as they arrive), then copy the spill as a kill would leave it.
    const spill = spillPathOf(path);
    let bytes = Buffer.alloc(0);
    for (let waited = 0; wholeChunks(bytes) < 2; waited += 20) {
      if (waited > 10_000) throw new Error('the worker spilled fewer than two chunks in 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
      bytes = await readFile(spill).catch(() => Buffer.alloc(0));
    }
    await writer.close();
    const firstChunk = 4 + bytes.readUInt32LE(0);
    const cut = join(await scratchDir('history-writer'), 'history.jsonl');
    await writeFile(spillPathOf(cut), bytes.subarray(0, firstChunk + Math.floor((bytes.length - firstChunk) / 2)));
    expect(settleHistory(cut)).toBe(true);
    const ids: number[] = [];
    for await (const event of readHistory(cut)) ids.push((event as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
