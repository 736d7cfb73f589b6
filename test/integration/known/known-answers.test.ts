import { describe, expect, it } from 'vitest';
import { scenarioRuns } from '../../support/scenario-runs.ts';

// Each checker must be able to fail and to pass against real servers: these scenarios are built
// so that the right answer is known in advance (scenarios/known/*.yaml explains each).

// Honest budgets, not vitest's 60 s default. A failover run: provision (~5 s, up to 20 s loaded),
// 1 s warmup + 22 s load, up to 60 s more while the killed primary comes back (restart + pg_rewind)
// and writes are tried after it (workload.afterLastHeal.maxExtension), quiesce (at most 30 s),
// checks and teardown (~5 s). The read scenarios: 7 s of load plus the same fixed costs.
const FAILOVER_TIMEOUT_MS = 180_000;
const READS_TIMEOUT_MS = 90_000;

const runs = scenarioRuns('faultline-known');
const run = async (name: string) => (await runs(`scenarios/known/${name}.yaml`)).results;

describe('known answers: failover', () => {
  it('async replication loses acknowledged checkouts, lists them, and never has two writable primaries', async () => {
    const results = await run('async-failover');
    const lost = results.checks['lost-writes']!;
    expect(lost.verdict).toBe('invalid');
    expect(lost.counts.lost).toBeGreaterThan(0);
    expect(lost.counts.rpoMs).toBeGreaterThan(0);
    expect(lost.examples.length).toBeGreaterThan(0);
    expect(lost.examples[0]).toHaveProperty('orderId');
    expect(results.failovers, JSON.stringify(results.failovers)).toHaveLength(1);
    const availability = results.checks.availability!;
    expect(availability.verdict, availability.explanation).toBe('valid');
    expect(availability.counts.maxWritablePrimaries).toBe(1);
    expect(availability.counts.maxFailoverMs).toBeGreaterThan(0);
    expect(results.checks.convergence!.verdict).toBe('valid');
    expect(results.checks.invariants!.verdict).toBe('valid');
  }, FAILOVER_TIMEOUT_MS);

  it('sync replication loses nothing: an unavailability window instead, and never two writable primaries', async () => {
    const results = await run('sync-failover');
    const lost = results.checks['lost-writes']!;
    expect(lost.verdict).toBe('valid');
    expect(lost.counts.lost).toBe(0);
    const availability = results.checks.availability!;
    expect(availability.verdict, availability.explanation).toBe('valid');
    expect(availability.counts.maxUnavailableMs).toBeGreaterThan(1_000);
    expect(availability.counts.maxWritablePrimaries).toBe(1);
    expect(results.failovers, JSON.stringify(results.failovers)).toHaveLength(1);
    expect(results.checks.convergence!.verdict).toBe('valid');
  }, FAILOVER_TIMEOUT_MS);
});

describe('known answers: where reads go', () => {
  it('order history read from replicas behind a slow link misses the customer\'s new orders', async () => {
    const results = await run('replica-reads');
    expect(results.checks['read-your-writes']!.verdict).toBe('invalid');
    expect(results.checks['read-your-writes']!.counts.violations).toBeGreaterThan(0);
    // p99, not p50: the load goes on a little after the slow link heals (workload.afterLastHeal), and
    // heartbeat staleness under a loaded machine often reads 0 between heartbeats.
    expect(results.checks['replication-lag']!.counts['replica1.stalenessMs.p99']).toBeGreaterThan(50);
  }, READS_TIMEOUT_MS);

  it('the same reads from the primary always show the customer\'s orders', async () => {
    const results = await run('primary-reads');
    expect(results.checks['read-your-writes']!.verdict).toBe('valid');
    expect(results.checks['read-your-writes']!.counts.violations).toBe(0);
  }, READS_TIMEOUT_MS);
});
