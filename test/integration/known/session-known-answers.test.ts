import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioRuns } from '../../support/scenario-runs.ts';
import { validateElleHistoryFile } from '../../../src/harness/export/validate-elle-history.ts';

// Known answers on real servers for the session checks, the stock invariant over time and the
// Elle export (scenarios/known/monotonic-reads*.yaml, scenarios/multi-leader-hot-product*.yaml
// and scenarios/known/replica-reads.yaml explain each).

const runs = scenarioRuns('faultline-known-session');
async function run(file: string) {
  const { results, reportDir: dir } = await runs(file);
  return { results, dir };
}

describe('known answers: monotonic reads', () => {
  it('reads bouncing between a fresh and a lagging replica go back in time: invalid, on the lagging one', async () => {
    const { results } = await run('scenarios/known/monotonic-reads.yaml');
    const mr = results.checks['monotonic-reads']!;
    expect(mr.verdict, mr.explanation).toBe('invalid');
    expect(mr.counts.violations).toBeGreaterThan(0);
    expect(mr.counts['violations.replica2']).toBeGreaterThan(0);
    // Under load replica1 can fall behind too, so the first example may be either; replica2 must show.
    expect(mr.examples.length).toBeGreaterThan(0);
    expect(mr.bound).toEqual({ minCoverage: 0.5 });
    expect(mr.coverage!.readsJudged).toBeGreaterThan(0);
  }, 120_000);

  it('control: the same run reading from the primary never goes back in time, judged on most reads', async () => {
    const { results } = await run('scenarios/known/monotonic-reads-control.yaml');
    for (const name of ['monotonic-reads', 'read-your-writes']) {
      const check = results.checks[name]!;
      expect(check.verdict, `${name}: ${check.explanation}`).toBe('valid');
      expect(check.counts.violations).toBe(0);
      expect(Number(check.coverage!.share)).toBeGreaterThanOrEqual(0.5);
    }
  }, 120_000);
});

describe('known answers: stock over time under multi-leader', () => {
  it('two leaders oversell the hot product: invariants invalid, the negative stock reported with time and node', async () => {
    const { results } = await run('scenarios/multi-leader-hot-product.yaml');
    const inv = results.checks.invariants!;
    expect(inv.verdict).toBe('invalid');
    expect(inv.counts['stock-negative-during-run']! + inv.counts.oversold!).toBeGreaterThan(0);
    const breach = inv.examples.find((e) => (e as { invariant?: string }).invariant === 'stock-negative-during-run') as { firstAt: number; node: string; when: string } | undefined;
    expect(breach, inv.explanation).toBeDefined();
    expect(breach!.firstAt).toBeGreaterThan(0);
    expect(['us-east', 'eu-west']).toContain(breach!.node);
    expect(inv.explanation).toMatch(/first went below zero at t=/);
  }, 150_000);

  it('control: one leader never lets stock go below zero', async () => {
    const { results } = await run('scenarios/multi-leader-hot-product-control.yaml');
    const inv = results.checks.invariants!;
    expect(inv.verdict, inv.explanation).toBe('valid');
    expect(inv.counts['stock-negative-during-run']).toBe(0);
  }, 150_000);
});

describe('history.edn follows Elle\'s process rules', () => {
  it('the export of a real replica-reads run passes the validator: no op on a process after its :info', async () => {
    const { dir } = await run('scenarios/known/replica-reads.yaml');
    const validation = await validateElleHistoryFile(join(dir, 'history.edn'));
    expect(validation.violations.slice(0, 5)).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(validation.counts.operations).toBeGreaterThan(100);
    // 6 workers; each :info (a full page, a timeout) moves its worker to a new process, unused
    // when it was the worker's last operation.
    const { info, processes } = validation.counts;
    expect(processes).toBeLessThanOrEqual(6 + info);
    expect(processes).toBeGreaterThanOrEqual(Math.max(6, info));
  }, 120_000);
});
