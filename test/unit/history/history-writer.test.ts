import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyLine } from '../../../src/harness/history/history-line.ts';
import { readHistory } from '../../../src/harness/history/history-reader.ts';
import { INTERN_MAX_COUNT } from '../../../src/harness/history/history-record-format.mjs';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
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

  it('leaves a readable history when the harness is killed with SIGKILL while recording', async () => {
    const path = await scratch();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/record-until-killed.ts', import.meta.url)), path], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      // Written within about a second of being recorded (the writer's flush), never only at close.
      for (let waited = 0; ((await stat(path).catch(() => undefined))?.size ?? 0) < 200_000; waited += 50) {
        if (waited > 30_000) throw new Error('the recording child wrote nothing in 30 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const read: HistoryEvent[] = [];
    for await (const event of readHistory(path)) read.push(event);
    expect(read.length).toBeGreaterThan(100);
    // Whole events in the order recorded: invoke then its ok, ids without a gap.
    read.forEach((event, i) => {
      expect(event.type).toBe(i % 2 === 0 ? 'invoke' : 'ok');
      expect((event as { id: number }).id).toBe(Math.floor(i / 2) + 1);
    });
  });
});
