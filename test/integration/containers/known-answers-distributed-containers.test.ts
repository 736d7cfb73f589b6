import { describe, expect, it } from 'vitest';
import { HAS_ENGINE, NO_ENGINE } from '../../support/containers.ts';
import { containerKnownAnswers, TIMEOUT_MS, TRIES } from '../../support/container-known-answers.ts';

// pg-multi-leader and pg-partitioned (two files, so that vitest's two workers share them).
// The known answers, in containers, from the very scenario files the local runs use (only the
// provider is switched, as `--provider containers` does): every PostgreSQL topology on faultline's
// own image, with no registry. Each scenario runs once in `npm test`; FAULTLINE_CONTAINER_REPEAT=3
// runs each three times (the "3 of 3" evidence). Skipped, saying why, only where no engine answers;
// a missing image is a failure naming the command that builds it (`.ci/setup` builds it).

if (!HAS_ENGINE) console.warn(`known answers in containers (multi-leader, partitioned): ${NO_ENGINE}`);
const runInContainers = containerKnownAnswers('faultline-known-distributed-containers');

describe.skipIf(!HAS_ENGINE)(`known answers in containers: pg-multi-leader and pg-partitioned${HAS_ENGINE ? '' : ` (${NO_ENGINE})`}`, () => {
  it.each(TRIES)('pg-multi-leader (pglogical in the project image, 40 ms between leaders): the hot product oversells (run %i)', async () => {
    const results = await runInContainers('scenarios/multi-leader-hot-product.yaml');
    const invariants = results.checks.invariants!;
    expect(invariants.verdict, invariants.explanation).toBe('invalid');
    expect(invariants.counts['oversold-units']).toBeGreaterThan(0);
    expect(results.multiLeader?.conflicts.total).toBeGreaterThan(0);
  }, TIMEOUT_MS);

  it.each(TRIES)('pg-partitioned, plain checkout across shards killed at the commit point: atomicity is violated (run %i)', async () => {
    const results = await runInContainers('scenarios/partitioning/checkout-plain.yaml');
    const atomicity = results.checks.atomicity!;
    expect(atomicity.verdict, atomicity.explanation).toBe('invalid');
  }, TIMEOUT_MS);

  it.each(TRIES)('pg-partitioned, two-phase commit under the same kills: every checkout all-or-nothing (run %i)', async () => {
    const results = await runInContainers('scenarios/partitioning/checkout-2pc.yaml');
    const atomicity = results.checks.atomicity!;
    expect(atomicity.verdict, atomicity.explanation).toBe('valid');
    expect(results.distributedCommit?.commitPointKills.length).toBeGreaterThan(0);
  }, TIMEOUT_MS);
});
