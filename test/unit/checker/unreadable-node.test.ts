import { describe, expect, it } from 'vitest';
import { convergenceChecker } from '../../../src/harness/checker/convergence-checker.ts';
import { runChecks } from '../../../src/harness/checker/run-checks.ts';
import type { CheckContext } from '../../../src/harness/checker/checker-types.ts';
import { fakeNode, HistoryBuilder, writeHistoryFile } from './history-builders.ts';

// A node that cannot be read at final-state time (down, refusing connections) must never make a
// final-state check judge fewer nodes silently: the check says unknown and names the node and why.

/** A node answering the fingerprint query with fixed rows/checksum for every table. */
function node(rows: number) {
  return fakeNode((text) => (text.startsWith('SELECT count(*)') ? [{ rows: String(rows), checksum: `md5-${rows}` }] : []));
}

async function context(extra: Partial<CheckContext>): Promise<CheckContext> {
  const h = new HistoryBuilder().writes(0, 2000, 10).fault(1, 'stop', ['replica2'], 500).phase('quiesce', 2000);
  return { historyPath: await writeHistoryFile(h.jsonl()), finalState: node(3), primaryNode: 'primary', nodeNames: ['primary', 'replica1', 'replica2'], ...extra };
}

describe('a node that cannot be read at final-state time', () => {
  it('convergence over the nodes it could read is unknown, naming the node left out and why', async () => {
    const ctx = await context({
      nodeStates: { primary: node(3), replica1: node(3) },
      unreadableNodes: { replica2: 'not running (stopped) after the final heal' },
    });
    const result = await convergenceChecker.check(ctx);
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/replica2 \(not running \(stopped\) after the final heal\)/);
    expect(result.coverage).toMatchObject({ nodesRead: 2, nodes: 3, unreadable: 'replica2' });
  });

  it('a node missing from the connections is named even when the runner gave no reason', async () => {
    const result = await convergenceChecker.check(await context({ nodeStates: { primary: node(3), replica1: node(3) } }));
    expect(result.verdict).toBe('unknown');
    expect(result.explanation).toMatch(/replica2 \(not running\)/);
  });

  it('the passing counterpart: every node read and identical is valid over all of them', async () => {
    const result = await convergenceChecker.check(await context({ nodeStates: { primary: node(3), replica1: node(3), replica2: node(3) } }));
    expect(result.verdict).toBe('valid');
    expect(result.coverage).toMatchObject({ nodesRead: 3, nodes: 3 });
  });

  it('a difference on the nodes read stays invalid, and still names the node not read', async () => {
    const ctx = await context({ nodeStates: { primary: node(3), replica1: node(2) }, unreadableNodes: { replica2: 'refused the connection: ECONNREFUSED' } });
    const result = await convergenceChecker.check(ctx);
    expect(result.verdict).toBe('invalid');
    expect(result.explanation).toMatch(/Not read: replica2 \(refused the connection: ECONNREFUSED\)/);
  });

  it('runChecks: a final-state check that needed the node cannot be valid; history-only checks are untouched', async () => {
    const ctx = await context({
      nodeStates: { primary: node(3), replica1: node(3) },
      unreadableNodes: { replica2: 'not running (stopped) after the final heal' },
    });
    const results = await runChecks(['convergence', 'availability'], ctx);
    expect(results.convergence!.verdict).toBe('unknown');
    expect(results.availability!.verdict).toBe('valid');
  });

  it('runChecks: an unreadable primary makes checks on the authoritative copy unknown, naming it', async () => {
    const refused = fakeNode(() => {
      throw new Error('primary could not be read at final-state time: refused the connection: ECONNREFUSED');
    });
    const ctx = await context({ finalState: refused, nodeStates: { replica1: node(3), replica2: node(3) }, unreadableNodes: { primary: 'refused the connection: ECONNREFUSED' } });
    const results = await runChecks(['atomicity', 'convergence'], ctx);
    expect(results.atomicity!.verdict).toBe('unknown');
    expect(results.atomicity!.explanation).toMatch(/primary \(refused the connection: ECONNREFUSED\) could not be read at final-state time/);
    expect(results.convergence!.verdict).toBe('unknown');
    expect(results.convergence!.explanation).toMatch(/primary/);
  });
});
