import { describe, expect, it } from 'vitest';
import {
  centralCompletenessChecker,
  evaluateCentralCompleteness,
  type CompletenessSources,
  type CopiesLookup,
  type OrderCopies,
} from '../../../src/harness/checker/central-completeness-checker.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

// Crafted histories against crafted node contents: central missing, doubling, truncating or
// inventing orders makes the check fail; the exact copy makes it pass.

const WHOLE: OrderCopies = { copies: 1, items: 1, payments: 1 };

function lookup(rows: Record<number, OrderCopies>): CopiesLookup {
  return async (ids) => new Map(ids.filter((id) => rows[id] !== undefined).map((id) => [id, rows[id]!]));
}

/** Two regions that each acknowledged two orders, and central holding what `central` says. */
function twoRegions(central: Record<number, OrderCopies>, extra: number[] = []): { history: HistoryBuilder; sources: CompletenessSources } {
  const history = new HistoryBuilder();
  history.checkout({ orderId: 11, customerId: 1, at: 100, node: 'seattle' });
  history.checkout({ orderId: 12, customerId: 2, at: 200, node: 'boston' });
  history.checkout({ orderId: 13, customerId: 1, at: 300, node: 'seattle' });
  history.checkout({ orderId: 14, customerId: 2, at: 400, node: 'boston' });
  const regions: Record<string, CopiesLookup> = {
    seattle: lookup({ 11: WHOLE, 13: WHOLE }),
    boston: lookup({ 12: WHOLE, 14: { copies: 1, items: 3, payments: 1 } }),
  };
  return {
    history,
    sources: {
      central: lookup(central),
      regional: (node) => regions[node],
      extraOnCentral: async (known) => {
        const unknown = [...Object.keys(central).map(Number), ...extra].filter((id) => !known(id));
        return { count: unknown.length, examples: unknown.slice(0, 10) };
      },
    },
  };
}

describe('central-completeness', () => {
  it('passes when central holds every acknowledged order once, with its region\'s lines and payment', async () => {
    const { history, sources } = twoRegions({ 11: WHOLE, 12: WHOLE, 13: WHOLE, 14: { copies: 1, items: 3, payments: 1 } });
    const result = await evaluateCentralCompleteness(history.build(), sources);
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ acknowledged: 4, onCentral: 4, missingCentral: 0, duplicated: 0, incomplete: 0, extra: 0, missingRegional: 0 });
    expect(result.explanation).toMatch(/All 4 acknowledged orders are on central exactly once/);
  });

  it('fails on an acknowledged order that never reached central, naming it', async () => {
    const { history, sources } = twoRegions({ 11: WHOLE, 12: WHOLE, 14: { copies: 1, items: 3, payments: 1 } });
    const result = await evaluateCentralCompleteness(history.build(), sources);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ acknowledged: 4, onCentral: 3, missingCentral: 1 });
    expect(result.examples).toEqual([{ kind: 'missing-central', orderId: 13, customerId: 1, node: 'seattle', at: 302 }]);
    expect(result.explanation).toMatch(/1 of 4 acknowledged orders never reached central/);
  });

  it('fails on an order central holds twice (a replay applied again)', async () => {
    const { history, sources } = twoRegions({ 11: { copies: 2, items: 2, payments: 2 }, 12: WHOLE, 13: WHOLE, 14: { copies: 1, items: 3, payments: 1 } });
    const result = await evaluateCentralCompleteness(history.build(), sources);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ duplicated: 1, onCentral: 3 });
    expect(result.examples[0]).toMatchObject({ kind: 'duplicated', orderId: 11, copies: 2 });
  });

  it('fails on an order whose lines or payment central lacks, against its region\'s copy', async () => {
    const { history, sources } = twoRegions({ 11: WHOLE, 12: WHOLE, 13: WHOLE, 14: { copies: 1, items: 1, payments: 1 } });
    const result = await evaluateCentralCompleteness(history.build(), sources);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ incomplete: 1 });
    expect(result.examples[0]).toMatchObject({ kind: 'incomplete', orderId: 14, central: { items: 1 }, regional: { items: 3 } });
  });

  it('fails on a run order on central that no checkout wrote', async () => {
    const { history, sources } = twoRegions({ 11: WHOLE, 12: WHOLE, 13: WHOLE, 14: { copies: 1, items: 3, payments: 1 } }, [99]);
    const result = await evaluateCentralCompleteness(history.build(), sources);
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ extra: 1 });
    expect(result.examples).toContainEqual({ kind: 'extra', orderId: 99 });
  });

  it('fails when an acknowledged order is gone from the region that acknowledged it', async () => {
    const { history, sources } = twoRegions({ 11: WHOLE, 12: WHOLE, 13: WHOLE, 14: { copies: 1, items: 3, payments: 1 } });
    const result = await evaluateCentralCompleteness(history.build(), { ...sources, regional: (node) => (node === 'seattle' ? lookup({ 11: WHOLE }) : sources.regional(node)) });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ missingRegional: 1, onCentral: 4 });
    expect(result.explanation).toMatch(/vanished from the region that acknowledged it/);
  });

  it('lets an unknown outcome be on central or not, but never twice', async () => {
    const history = new HistoryBuilder();
    history.checkout({ orderId: 1, customerId: 1, at: 10, node: 'seattle' });
    history.checkout({ orderId: 2, customerId: 1, at: 20, node: 'seattle', outcome: 'info', error: 'timeout' });
    history.checkout({ orderId: 3, customerId: 1, at: 30, node: 'seattle', outcome: 'none' });
    const base = { regional: () => lookup({ 1: WHOLE, 2: WHOLE }), extraOnCentral: async () => ({ count: 0, examples: [] }) };
    const once = await evaluateCentralCompleteness(history.build(), { ...base, central: lookup({ 1: WHOLE, 2: WHOLE }) });
    expect(once.verdict).toBe('valid');
    expect(once.counts).toMatchObject({ acknowledged: 1, indeterminate: 2, indeterminateOnCentral: 1 });
    const twice = await evaluateCentralCompleteness(history.build(), { ...base, central: lookup({ 1: WHOLE, 2: { copies: 2, items: 2, payments: 2 } }) });
    expect(twice.verdict).toBe('invalid');
    expect(twice.counts).toMatchObject({ duplicated: 1 });
  });

  it('never counts a failed checkout, and calls one on central extra', async () => {
    const history = new HistoryBuilder();
    history.checkout({ orderId: 1, customerId: 1, at: 10, node: 'seattle' });
    history.checkout({ orderId: 2, customerId: 1, at: 20, node: 'seattle', outcome: 'fail', error: 'out-of-stock' });
    const result = await evaluateCentralCompleteness(history.build(), {
      central: lookup({ 1: WHOLE, 2: WHOLE }),
      regional: () => lookup({ 1: WHOLE }),
      extraOnCentral: async (known) => ({ count: [1, 2].filter((id) => !known(id)).length, examples: [2] }),
    });
    expect(result.counts).toMatchObject({ acknowledged: 1, extra: 1 });
    expect(result.verdict).toBe('invalid');
  });

  it('is valid with no central by design (geo-partitioning) when every acknowledged order is on its region, invalid when one is lost', async () => {
    const { history, sources } = twoRegions({});
    const { central: _central, ...regionsOnly } = sources;
    const fine = await evaluateCentralCompleteness(history.build(), { ...regionsOnly, centralExists: false });
    expect(fine.verdict).toBe('valid');
    expect(fine.explanation).toMatch(/no central node \(geo-partitioning\): 4 of 4 acknowledged orders/);
    const lost = await evaluateCentralCompleteness(history.build(), {
      centralExists: false,
      regional: (node) => (node === 'boston' ? lookup({}) : sources.regional(node)),
    });
    expect(lost.verdict).toBe('invalid');
    expect(lost.counts).toMatchObject({ missingRegional: 2 });
  });

  it('is unknown when central exists but did not answer, yet still finds an order its region lost', async () => {
    const { history, sources } = twoRegions({});
    const { central: _central, ...withoutCentral } = sources;
    const fine = await evaluateCentralCompleteness(history.build(), withoutCentral);
    expect(fine.verdict).toBe('unknown');
    expect(fine.explanation).toMatch(/4 of 4 acknowledged orders are on the region that acknowledged them/);
    const lost = await evaluateCentralCompleteness(history.build(), { regional: (node) => (node === 'boston' ? lookup({}) : sources.regional(node)) });
    expect(lost.verdict).toBe('invalid');
    expect(lost.counts).toMatchObject({ missingRegional: 2 });
  });

  it('counts a region that did not answer as unchecked, not as lost', async () => {
    const { history, sources } = twoRegions({ 11: WHOLE, 12: WHOLE, 13: WHOLE, 14: { copies: 1, items: 3, payments: 1 } });
    const result = await evaluateCentralCompleteness(history.build(), { ...sources, regional: (node) => (node === 'boston' ? undefined : sources.regional(node)) });
    expect(result.verdict).toBe('valid');
    expect(result.counts).toMatchObject({ regionalUnchecked: 2, onCentral: 4 });
  });

  it('as a Checker: reads central and the acknowledging region by node name, and pages central\'s run orders', async () => {
    const history = new HistoryBuilder();
    history.checkout({ orderId: 21, customerId: 1, at: 100, node: 'seattle' });
    history.checkout({ orderId: 22, customerId: 1, at: 200, node: 'seattle' });
    const historyPath = await writeHistoryFile(history.jsonl());
    const node = (ids: number[]) =>
      fakeNode((text, values) => {
        if (text.includes('NOT historical')) return values[0] === '0' ? [{ id: '21' }, { id: '22' }, { id: '23' }] : [];
        return (values[0] as number[]).filter((id) => ids.includes(id)).map((id) => ({ id: String(id), copies: 1, items: 1, payments: 1 }));
      });
    const result = await centralCompletenessChecker.check({
      historyPath,
      finalState: node([21, 22]),
      nodeStates: { seattle: node([21, 22]), central: node([21]) },
    });
    expect(result.verdict).toBe('invalid');
    expect(result.counts).toMatchObject({ acknowledged: 2, onCentral: 1, missingCentral: 1, extra: 1 });
    expect(result.examples).toContainEqual({ kind: 'extra', orderId: 23 });
  });
});
