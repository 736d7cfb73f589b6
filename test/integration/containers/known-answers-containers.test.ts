import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResults } from '../../../src/harness/report/results-types.ts';
import { runScenario } from '../../../src/harness/run/run-scenario.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { HAS_ENGINE, NO_ENGINE } from '../../support/containers.ts';

// pg-single-leader failover (the distributed topologies: known-answers-distributed-containers).
// The known answers, in containers, from the very scenario files the local runs use (only the
// provider is switched, as `--provider containers` does): every PostgreSQL topology on faultline's
// own image, with no registry. Each scenario runs once in `npm test`; FAULTLINE_CONTAINER_REPEAT=3
// runs each three times (the "3 of 3" evidence). Skipped, saying why, only where no engine answers;
// a missing image is a failure naming the command that builds it (`.ci/setup` builds it).

if (!HAS_ENGINE) console.warn(`known answers in containers (single-leader): ${NO_ENGINE}`);
const REPEAT = Math.max(1, Number(process.env.FAULTLINE_CONTAINER_REPEAT ?? 1));
const TRIES = Array.from({ length: REPEAT }, (_, i) => i + 1);

// Provision in containers takes 30-60 s on a loaded 2-core machine (initdb, base backups), then
// the scenario's own load, a killed node's restart and rewind, quiesce and checks.
const TIMEOUT_MS = 420_000;

let out = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'faultline-known-containers-'));
});
afterAll(async () => {
  if (process.env.FAULTLINE_KEEP_REPORTS) console.log(`container known-answer reports kept in ${out}`);
  else await rm(out, { recursive: true, force: true });
});

async function runInContainers(file: string): Promise<RunResults> {
  const { scenario } = await loadScenario(file, ['provider.kind=containers']);
  const { results } = await runScenario(scenario, { reportsRoot: out, print: () => {} });
  expect(results.run.status, results.run.error).toBe('completed');
  expect(results.environment.provider?.kind).toBe('containers');
  expect(results.environment.provider?.image?.id).toMatch(/^sha256:/);
  return results;
}

const verdict = (results: RunResults, check: string) => results.checks[check]?.verdict;

describe.skipIf(!HAS_ENGINE)(`known answers in containers: pg-single-leader${HAS_ENGINE ? '' : ` (${NO_ENGINE})`}`, () => {
  it.each(TRIES)('pg-single-leader, async failover: acknowledged writes are lost (run %i)', async () => {
    const results = await runInContainers('scenarios/known/async-failover.yaml');
    const lost = results.checks['lost-writes']!;
    expect(lost.verdict, lost.explanation).toBe('invalid');
    expect(lost.counts.lost).toBeGreaterThan(0);
    expect(results.failovers).toHaveLength(1);
    expect(verdict(results, 'convergence')).toBe('valid');
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
