import { describe, expect, it } from 'vitest';
import { HAS_ENGINE, NO_ENGINE } from '../../support/containers.ts';
import { containerKnownAnswers, TIMEOUT_MS, TRIES, verdict } from '../../support/container-known-answers.ts';

// pg-single-leader failover (the distributed topologies: known-answers-distributed-containers;
// the shared runner: test/support/container-known-answers.ts).
// The known answers, in containers, from the very scenario files the local runs use (only the
// provider is switched, as `--provider containers` does): every PostgreSQL topology on faultline's
// own image, with no registry. Each scenario runs once in `npm test`; FAULTLINE_CONTAINER_REPEAT=3
// runs each three times (the "3 of 3" evidence). Skipped, saying why, only where no engine answers;
// a missing image is a failure naming the command that builds it (`.ci/setup` builds it).

if (!HAS_ENGINE) console.warn(`known answers in containers (single-leader): ${NO_ENGINE}`);
const runInContainers = containerKnownAnswers('faultline-known-containers');

describe.skipIf(!HAS_ENGINE)(`known answers in containers: pg-single-leader${HAS_ENGINE ? '' : ` (${NO_ENGINE})`}`, () => {
  it.each(TRIES)('pg-single-leader, async failover: acknowledged writes are lost (run %i)', async () => {
    const results = await runInContainers('scenarios/known/async-failover.yaml');
    const lost = results.checks['lost-writes']!;
    expect(lost.verdict, lost.explanation).toBe('invalid');
    expect(lost.counts.lost).toBeGreaterThan(0);
    expect(results.failovers).toHaveLength(1);
    expect(verdict(results, 'convergence'), results.checks.convergence?.explanation).toBe('valid');
  }, TIMEOUT_MS);

  it.each(TRIES)('pg-single-leader, sync failover: the first boot does not hang and nothing acknowledged is lost (run %i)', async () => {
    const results = await runInContainers('scenarios/known/sync-failover.yaml');
    const lost = results.checks['lost-writes']!;
    expect(lost.verdict, lost.explanation).toBe('valid');
    expect(lost.counts.lost).toBe(0);
    expect(lost.counts.acknowledged).toBeGreaterThan(0);
    expect(results.failovers).toHaveLength(1);
  }, TIMEOUT_MS);
});
