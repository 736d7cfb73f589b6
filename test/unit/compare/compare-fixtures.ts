import type { CheckResult } from '../../../src/harness/checker/checker-types.ts';
import type { RunToCompare } from '../../../src/harness/compare/comparison-types.ts';
import type { RunResults } from '../../../src/harness/results/results-types.ts';
import type { Scenario } from '../../../src/harness/scenario/schema.ts';
import { completedRun, failedRun } from '../report/fixtures.ts';

// Three variants of the report fixture's run, as a replication matrix would give them: async with
// stale reads, sync slower and clean, remote_apply failed before its checks.

export function withReplication(results: RunResults, replication: Extract<Scenario['topology'], { kind: 'pg-single-leader' }>['replication'], runId: string): RunResults {
  const scenario = results.resolvedScenario;
  return {
    ...results,
    resolvedScenario: { ...scenario, topology: scenario.topology.kind === 'pg-single-leader' ? { ...scenario.topology, replication } : scenario.topology },
    run: { ...results.run, id: runId },
  };
}

export function ryw(violations: number): CheckResult {
  return {
    verdict: violations > 0 ? 'invalid' : 'valid',
    counts: { acknowledgedCheckouts: 120, readsChecked: 90, violations },
    examples: [],
    explanation: 'read-your-writes',
  };
}

export function threeVariants(): RunToCompare[] {
  const async = withReplication(completedRun(), 'async', 'run-a');
  const syncBase = withReplication(completedRun(), 'sync', 'run-b');
  const checkout = syncBase.operations.checkout!;
  const sync: RunResults = {
    ...syncBase,
    operations: { ...syncBase.operations, checkout: { ...checkout, latencyMs: { ...checkout.latencyMs, p99: 77.5 } } },
    checks: { ...syncBase.checks, 'read-your-writes': ryw(0) },
  };
  return [
    { label: 'replication=async', dir: 'replication=async', results: { ...async, checks: { ...async.checks, 'read-your-writes': ryw(4) } } },
    { label: 'replication=sync', dir: 'replication=sync', results: sync },
    { label: 'replication=remote_apply', dir: 'replication=remote_apply', results: withReplication(failedRun(), 'remote_apply', 'run-c') },
  ];
}
