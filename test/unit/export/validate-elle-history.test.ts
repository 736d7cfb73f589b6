import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ElleHistoryConverter } from '../../../src/harness/export/elle-history.ts';
import { parseEdn, validateElleHistoryFile, validateElleLines } from '../../../src/harness/export/validate-elle-history.ts';
import { HistoryBuilder } from '../checker/history-builders.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

const op = (type: string, process: number, index: number, time = index, f = 'txn') =>
  `{:type :${type}, :f :${f}, :value [[:r 1 nil]], :time ${time}, :process ${process}, :index ${index}, :node "primary"}`;

describe('validateElleLines: Jepsen/Elle process rules on a history.edn', () => {
  it('passes a well-formed history: one op in flight per process, a new process after :info', async () => {
    const result = await validateElleLines([op('invoke', 0, 0), op('invoke', 1, 1), op('ok', 0, 2), op('info', 1, 3), op('invoke', 3, 4), op('fail', 3, 5), op('invoke', 0, 6)]);
    expect(result.violations).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.counts).toEqual({ operations: 7, processes: 3, invokes: 4, ok: 1, fail: 1, info: 1, openAtEnd: 1 });
  });

  it('fails an op on a process after its :info (what the old full-page export did)', async () => {
    const result = await validateElleLines([op('invoke', 0, 0), op('info', 0, 1), op('invoke', 0, 2), op('ok', 0, 3)]);
    expect(result.valid).toBe(false);
    expect(result.violations).toEqual([{ line: 3, rule: 'op-after-info', message: 'process 0 invokes after its operation ended :info' }]);
  });

  it('fails a completion without an open invoke, a second completion, two invokes in flight, a bad index, time going back', async () => {
    const result = await validateElleLines([
      op('ok', 0, 0),
      op('invoke', 1, 1),
      op('invoke', 1, 2),
      op('ok', 1, 3),
      op('ok', 1, 4),
      op('invoke', 2, 7),
      op('invoke', 3, 6, 1),
      op('ok', 2, 7, 9, 'other'),
      'not edn',
    ]);
    expect(result.violations.map((v) => v.rule)).toEqual(['unmatched-completion', 'concurrent-invoke', 'unmatched-completion', 'index', 'time', 'mismatched-f', 'parse']);
  });

  it('parses the EDN subset the export writes', () => {
    expect(parseEdn('{:a [1 -2 nil "x\\"y"], :b :kw}')).toEqual(new Map<string, unknown>([['a', [1, -2, null, 'x"y']], ['b', { kw: 'kw' }]]));
    expect(() => parseEdn('{:a 1')).toThrow(/unterminated/);
  });

  it('the converter\'s own export of a history with :info checkouts and full pages passes', async () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 25; i++) h.checkout({ orderId: 2000 + i, customerId: 3, at: i * 10, worker: i % 2, outcome: i % 7 === 3 ? 'info' : 'ok' });
    const page = Array.from({ length: 20 }, (_, i) => 2024 - i);
    for (let i = 0; i < 6; i++) h.orderHistory({ customerId: 3, orderIds: page, at: 300 + i * 10, worker: i % 2 });
    h.checkout({ orderId: 3000, customerId: 3, at: 400, outcome: 'none' });
    const converter = new ElleHistoryConverter({ firstWorkloadOrderId: 1000, workers: 2 });
    const lines = [...h.build().flatMap((e) => converter.accept(e) ?? []), ...converter.finish()];
    expect(converter.counts.fullPageReads).toBe(6);
    const dir = await scratchDir('edn');
    await writeFile(join(dir, 'history.edn'), `${lines.join('\n')}\n`);
    const result = await validateElleHistoryFile(join(dir, 'history.edn'));
    expect(result.violations).toEqual([]);
    expect(result.counts.info).toBeGreaterThan(6);
    expect((await readFile(join(dir, 'history.edn'), 'utf8')).split('\n')).toHaveLength(lines.length + 1);
  });
});
