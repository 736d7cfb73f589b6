import { describe, expect, it } from 'vitest';
import { HAS_ENGINE, NO_ENGINE } from '../../support/containers.ts';
import { containerKnownAnswers, TIMEOUT_MS, TRIES, verdict } from '../../support/container-known-answers.ts';

// Failover by Patroni and etcd in containers: one container per node (faultline's own image, no
// registry) holding the node's etcd member and Patroni, which runs PostgreSQL. The very scenario
// files of the local known answers, with only the provider switched (as `--provider containers`
// does). `npm test` runs the synchronous kill once (container kill of the leader: Patroni, the
// postmaster and the etcd member die together; Patroni on the others promotes the sync standby;
// the old leader's Patroni rewinds it). FAULTLINE_PATRONI_ALL=1 adds the asynchronous kill and the
// isolated leader; FAULTLINE_CONTAINER_REPEAT=3 runs each three times. Skipped, saying why, only
// where no container engine answers.

if (!HAS_ENGINE) console.warn(`Patroni in containers: ${NO_ENGINE}`);
const ALL = process.env.FAULTLINE_PATRONI_ALL === '1';
const runInContainers = containerKnownAnswers('faultline-patroni-containers');

describe.skipIf(!HAS_ENGINE)(`known answers: failover by Patroni in containers${HAS_ENGINE ? '' : ` (${NO_ENGINE})`}`, () => {
  it.each(TRIES)('synchronous_mode_strict, leader container killed under load: nothing acknowledged is lost, one writer at a time (run %i)', async () => {
    const results = await runInContainers('scenarios/known/patroni-sync-kill.yaml');
    const lost = results.checks['lost-writes']!;
    expect(lost.verdict, lost.explanation).toBe('valid');
    expect(lost.counts.lost).toBe(0);
    expect(lost.counts.acknowledged).toBeGreaterThan(0);
    const availability = results.checks.availability!;
    expect(availability.verdict, availability.explanation).toBe('valid');
    expect(availability.counts.maxWritablePrimaries).toBe(1);
    // Patroni promoted someone else, as its REST API (published on 127.0.0.1) said.
    expect(results.failovers?.[0]?.from, JSON.stringify(results.failovers)).toBe('primary');
    expect(verdict(results, 'invariants')).toBe('valid');
  }, TIMEOUT_MS);

  it.runIf(ALL).each(TRIES)('asynchronous, leader container cut off then killed: acknowledged checkouts are lost and counted (run %i)', async () => {
    const results = await runInContainers('scenarios/known/patroni-async-kill.yaml');
    const lost = results.checks['lost-writes']!;
    expect(lost.verdict, lost.explanation).toBe('invalid');
    expect(lost.counts.lost).toBeGreaterThan(0);
  }, TIMEOUT_MS);

  it.runIf(ALL).each(TRIES)('leader cut from store and replicas by its namespace rules: never two writers for longer than ttl + loop_wait (run %i)', async () => {
    const results = await runInContainers('scenarios/known/patroni-isolate-leader.yaml');
    const availability = results.checks.availability!;
    expect(availability.counts.longestSplitBrainMs, availability.explanation).toBeLessThanOrEqual(12_000);
  }, TIMEOUT_MS);
});
