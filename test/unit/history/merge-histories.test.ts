import { createReadStream } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { historyLine } from '../../../src/harness/history/history-line.ts';
import { readHistory } from '../../../src/harness/history/history-reader.ts';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { timeOf } from '../../../src/harness/history/line-time.ts';
import { HistoryMergeError, mergeHistories } from '../../../src/harness/history/merge-histories.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

// Load threads write a history file each; after the run they are merged, with the main thread's
// history.jsonl, into one file ordered by time: what a single-thread run would have written.

/** Files named after their keys, each holding its lines (a newline after each). */
async function files(contents: Record<string, readonly string[]>): Promise<{ dir: string; paths: string[] }> {
  const dir = await scratchDir('merge-histories');
  const paths: string[] = [];
  for (const [name, lines] of Object.entries(contents)) {
    const path = join(dir, name);
    await writeFile(path, lines.map((line) => `${line}\n`).join(''));
    paths.push(path);
  }
  return { dir, paths };
}

const linesOf = async (path: string) => (await readFile(path, 'utf8')).split('\n').slice(0, -1);
const at = (time: number, tag: string) => JSON.stringify({ type: 'roles', time, writable: [tag] });

describe('mergeHistories', () => {
  it('merges files into one ordered by time, each line byte for byte, wherever its "time" sits', async () => {
    const main = [
      historyLine({ type: 'phase', phase: 'run', time: 0, wallClock: '2026-01-01T00:00:00.000Z' }),
      // A "time" inside a value or a string comes first in the line: only the event's own counts.
      JSON.stringify({ type: 'manager', source: 'n1', members: [{ time: 99, name: 'x"time":1' }], time: 2.5, leaders: [] }),
      '{ "type" : "lag", "node" : "r1", "time" : 7e0, "stalenessMs" : 1 }',
    ];
    const a = [
      historyLine({ type: 'invoke', id: 1, f: 'checkout', worker: 0, node: 'p"time":0', time: 1, value: { time: -5, note: 'é 😀 \u2028' } }),
      historyLine({ type: 'ok', id: 1, f: 'checkout', worker: 0, node: 'primary', time: 3.125, latency: 2.125 }),
    ];
    const b = [
      historyLine({ type: 'invoke', id: 2, f: 'view-product', worker: 1, node: 'replica1', time: 0.5 }),
      historyLine({ type: 'fail', id: 2, f: 'view-product', worker: 1, node: 'replica1', time: 6, latency: 5.5, error: 'timeout' }),
    ];
    const { dir, paths } = await files({ main, a, b });
    const target = join(dir, 'history.jsonl');
    expect(await mergeHistories(target, paths)).toEqual({ events: 7 });
    expect(await linesOf(target)).toEqual([main[0], b[0], a[0], main[1], a[1], b[1], main[2]]);
    // The sources are the caller's to remove.
    expect((await readdir(dir)).sort()).toEqual(['a', 'b', 'history.jsonl', 'main']);
  });

  it('keeps source order on equal times, and each file order within a source', async () => {
    const { dir, paths } = await files({
      first: [at(1, 'f1'), at(2, 'f2'), at(2, 'f3')],
      second: [at(1, 's1'), at(2, 's2')],
      third: [at(0, 't0'), at(2, 't2'), at(2, 't3'), at(3, 't4')],
    });
    const target = join(dir, 'merged');
    await mergeHistories(target, paths);
    const tags = (await linesOf(target)).map((line) => (JSON.parse(line) as { writable: string[] }).writable[0]);
    expect(tags).toEqual(['t0', 'f1', 's1', 'f2', 'f3', 's2', 't2', 't3', 't4']);
  });

  it('merges the target into itself when it is one of the sources, leaving no temporary file', async () => {
    const { dir, paths } = await files({ 'history.jsonl': [at(1, 'm1'), at(4, 'm4')], load: [at(2, 'l2'), at(3, 'l3')] });
    await mergeHistories(paths[0]!, paths);
    expect(await linesOf(paths[0]!)).toEqual([at(1, 'm1'), at(2, 'l2'), at(3, 'l3'), at(4, 'm4')]);
    expect((await readdir(dir)).sort()).toEqual(['history.jsonl', 'load']);
  });

  it('skips blank lines and ends a whole last event written without its newline with one', async () => {
    const { dir, paths } = await files({ a: [at(1, 'a1'), '', '  ', at(2, 'a2'), at(3, 'a3')] });
    const last = join(dir, 'b');
    await writeFile(last, `${at(2.5, 'b2')}\n${at(4, 'b4')}`);
    const target = join(dir, 'merged');
    expect(await mergeHistories(target, [...paths, last])).toEqual({ events: 5 });
    expect(await readFile(target, 'utf8')).toBe(`${[at(1, 'a1'), at(2, 'a2'), at(2.5, 'b2'), at(3, 'a3'), at(4, 'b4')].join('\n')}\n`);
  });

  it('copies a line longer than its read buffer whole', async () => {
    const long = JSON.stringify({ type: 'fault', time: 2, note: 'x'.repeat(3 << 20) });
    const { dir, paths } = await files({ a: [at(1, 'a1'), long, at(3, 'a3')], b: [at(2.5, 'b')] });
    const target = join(dir, 'merged');
    await mergeHistories(target, paths);
    expect(await linesOf(target)).toEqual([at(1, 'a1'), long, at(2.5, 'b'), at(3, 'a3')]);
  });

  it('fails naming the file and line of a line with no numeric time, and leaves target and sources as they were', async () => {
    for (const bad of ['{"type":"roles","writable":[]}', '{"type":"roles","time":"3"}', '{"type":"x","v":{"time":3}}', 'not json']) {
      const { dir, paths } = await files({ 'history.jsonl': [at(1, 'm')], load: [at(0, 'l0'), bad, at(5, 'l5')] });
      const error = await mergeHistories(paths[0]!, paths).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HistoryMergeError);
      expect(error).toMatchObject({ path: paths[1], line: 2 });
      expect(String(error)).toContain(`${paths[1]}:2:`);
      expect(await linesOf(paths[0]!)).toEqual([at(1, 'm')]);
      expect((await readdir(dir)).sort()).toEqual(['history.jsonl', 'load']);
    }
  });

  it('fails on a last line cut short, and on a missing source, naming the file', async () => {
    const { dir, paths } = await files({ a: [at(1, 'a')] });
    const cut = join(dir, 'cut');
    await writeFile(cut, `${at(0, 'c')}\n{"type":"roles","time":2,"writ`);
    await expect(mergeHistories(join(dir, 'out'), [...paths, cut])).rejects.toThrow(`${cut}:2: truncated last line`);
    await expect(mergeHistories(join(dir, 'out'), [...paths, join(dir, 'gone')])).rejects.toThrow(/cannot read source .*gone/);
    expect((await readdir(dir)).sort()).toEqual(['a', 'cut']);
  });

  it('keeps a large history ordered and every line of it (200,000 lines over 4 files)', async () => {
    const dir = await scratchDir('merge-histories');
    const sources = Array.from({ length: 4 }, (_, s) => join(dir, `load-${s}.jsonl`));
    const perSource = 50_000;
    await Promise.all(
      sources.map((path, s) => {
        let time = 0;
        const lines: string[] = [];
        for (let i = 0; i < perSource; i++) {
          time += Math.floor(Math.random() * 4) / 8; // ties between and within files
          const value = { source: s, seq: i, pad: 'é'.repeat(i % 40) };
          lines.push(historyLine({ type: 'invoke', id: s * perSource + i, f: 'checkout', worker: s, node: 'primary', time, value }));
        }
        return writeFile(path, `${lines.join('\n')}\n`);
      }),
    );
    const target = join(dir, 'history.jsonl');
    expect(await mergeHistories(target, sources)).toEqual({ events: 4 * perSource });
    // Checked line by line, the first line out of order named (an expect per line is slow).
    let previous = { time: -1, source: -1 };
    const next = [0, 0, 0, 0];
    let wrong: string | undefined;
    let count = 0;
    for await (const line of createInterface({ input: createReadStream(target), crlfDelay: Infinity })) {
      count++;
      const event = JSON.parse(line) as { time: number; value: { source: number; seq: number } };
      const { source, seq } = event.value;
      const inOrder = event.time > previous.time || (event.time === previous.time && source >= previous.source);
      if (!(inOrder && seq === next[source]) && wrong === undefined) wrong = `line ${count}: ${line.slice(0, 120)}`;
      next[source] = seq + 1;
      previous = { time: event.time, source };
    }
    expect(wrong).toBeUndefined();
    expect(count).toBe(4 * perSource);
    expect(next).toEqual([perSource, perSource, perSource, perSource]);
  });
});

describe('timeOf', () => {
  it('reads the very number JSON.parse reads for the line\'s own "time", in every form a number takes', () => {
    const times = [0, 1, -1, 0.5, 1e-7, 5e-324, 1e21, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, 123456789012345.6, 0.1 + 0.2];
    for (let k = -10; k <= 22; k++) for (let n = 0; n < 50; n++) times.push((Math.random() - 0.2) * 10 ** k, Math.round(Math.random() * 10 ** k) / 1000);
    for (const time of times) {
      for (const line of [JSON.stringify({ type: 'x', time }), JSON.stringify({ v: { time: 1, s: '"time":2' }, time, after: [{ time: 3 }] }), `{ "time" : ${time} }`]) {
        const bytes = Buffer.from(`junk\n${line}\njunk`);
        const read = timeOf(bytes, 5, 5 + line.length);
        if (!Object.is(read, (JSON.parse(line) as { time: number }).time)) expect.fail(`${line}: read ${read}`);
      }
    }
  });
});

describe('HistoryWriter.mergeAtClose', () => {
  it('merges the load threads’ files into its own history at close, then removes them', async () => {
    const dir = await scratchDir('merge-histories');
    const path = join(dir, 'history.jsonl');
    const load = join(dir, 'load-1.jsonl');
    const own: HistoryEvent[] = [
      { type: 'phase', phase: 'run', time: 1, wallClock: '2026-01-01T00:00:00.001Z' },
      { type: 'fault', action: 'start', id: 1, kind: 'kill', targets: ['primary'], time: 4, wallClock: '2026-01-01T00:00:00.004Z' },
      { type: 'phase', phase: 'quiesce', time: 9, wallClock: '2026-01-01T00:00:00.009Z' },
    ];
    const theirs: HistoryEvent[] = [
      { type: 'invoke', id: 1, f: 'checkout', worker: 0, node: 'primary', time: 2, value: { orderId: 1 } },
      { type: 'info', id: 1, f: 'checkout', worker: 0, node: 'primary', time: 5, latency: 3, error: 'connection' },
    ];
    await writeFile(load, theirs.map((event) => `${historyLine(event)}\n`).join(''));
    const writer = new HistoryWriter(path);
    for (const event of own) writer.append(event);
    writer.mergeAtClose([load]);
    await writer.close();
    const read: HistoryEvent[] = [];
    for await (const event of readHistory(path)) read.push(event);
    expect(read).toEqual([own[0], theirs[0], own[1], theirs[1], own[2]]);
    expect(await readdir(dir)).toEqual(['history.jsonl']);
  });

  it('rejects at close and keeps the files when they cannot be merged', async () => {
    const dir = await scratchDir('merge-histories');
    const load = join(dir, 'load-1.jsonl');
    await writeFile(load, '{"type":"invoke"}\n');
    const writer = new HistoryWriter(join(dir, 'history.jsonl'));
    writer.append({ type: 'roles', time: 1, writable: [] });
    writer.mergeAtClose([load]);
    await expect(writer.close()).rejects.toThrow(`${load}:1: no numeric "time"`);
    expect((await readdir(dir)).sort()).toEqual(['history.jsonl', 'load-1.jsonl']);
    expect(() => writer.mergeAtClose([load])).toThrow(/closing/);
  });
});
