import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { ScenarioError } from '../../../src/harness/scenario/scenario-error.ts';
import { parseOverride } from '../../../src/harness/scenario/set-overrides.ts';
import { SCENARIOS } from './fixtures.ts';

const QUICKSTART = `${SCENARIOS}quickstart.yaml`;

async function failure(overrides: readonly string[]): Promise<string[]> {
  const error = await loadScenario(QUICKSTART, overrides).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).format().split('\n');
}

describe('parseOverride', () => {
  it('reads the value as YAML, so numbers, booleans and lists keep their type', () => {
    expect(parseOverride('topology.replicas=1')).toMatchObject({ path: ['topology', 'replicas'], value: 1 });
    expect(parseOverride('workload.duration=10s')).toMatchObject({ value: '10s' });
    expect(parseOverride('topology.settings.fsync=true')).toMatchObject({ value: true });
    expect(parseOverride('checks=[invariants]')).toMatchObject({ value: ['invariants'] });
    expect(parseOverride('workload.loop={kind: open, rate: 50}')).toMatchObject({ value: { kind: 'open', rate: 50 } });
    expect(parseOverride('report.formats[0]=md')).toMatchObject({ path: ['report', 'formats', 0], value: 'md' });
    expect(parseOverride('description=a=b')).toMatchObject({ path: ['description'], value: 'a=b' });
  });

  it('explains malformed arguments', () => {
    expect(parseOverride('workload.duration')).toMatch(/expected path=value/);
    expect(parseOverride('=5')).toMatch(/field path before "=" is empty/);
    expect(parseOverride('workload..duration=5')).toMatch(/is not a field path/);
    expect(parseOverride('name=[a')).toMatch(/not valid YAML/);
  });
});

describe('loadScenario with --set', () => {
  it('applies overrides before validation', async () => {
    const { scenario } = await loadScenario(QUICKSTART, [
      'workload.duration=10s',
      'topology.replicas=1',
      'workload.loop={kind: open, rate: 50}',
      'topology.settings.work_mem=64MB',
    ]);
    expect(scenario.workload.duration).toBe(10_000);
    expect('replicas' in scenario.topology ? scenario.topology.replicas : undefined).toBe(1);
    expect(scenario.workload.loop).toEqual({ kind: 'open', rate: 50, arrivals: 'poisson', connections: 16, maxQueueDelay: 1_000, grace: 30_000 });
    expect(scenario.topology.settings).toEqual({ work_mem: '64MB' });
  });

  it('lets a later override win and leaves the file alone', async () => {
    const { scenario, source } = await loadScenario(QUICKSTART, ['seed=1', 'seed=2']);
    expect(scenario.seed).toBe(2);
    expect(source).toContain('seed: 42');
  });

  it('names every malformed argument at once', async () => {
    const lines = await failure(['workload.duration', '=5']);
    expect(lines).toEqual([
      expect.stringMatching(/quickstart\.yaml: --set "workload\.duration": expected path=value \(e\.g\. --set workload\.duration=10s/),
      expect.stringMatching(/quickstart\.yaml: --set "=5": the field path before "=" is empty/),
    ]);
  });

  it('says a bad value came from --set, without a file line', async () => {
    expect(await failure(['workload.loop.kind=open', 'workload.loop.rate=-3', 'workload.loop.concurrency=0'])).toEqual([
      expect.stringMatching(/quickstart\.yaml: workload\.loop\.rate: must be greater than 0, got -3 \(from --set workload\.loop\.rate=-3\)$/),
      expect.stringMatching(/quickstart\.yaml: workload\.loop\.concurrency: unknown key "concurrency" .*\(from --set workload\.loop\.concurrency=0\)$/),
    ]);
    expect(await failure(['topology.replcas=1'])).toEqual([
      expect.stringMatching(/: topology\.replcas: unknown key "replcas" \(did you mean "replicas"\?\) \(from --set topology\.replcas=1\)$/),
    ]);
  });

  it('blames a changed kind for the keys it makes missing or unknown', async () => {
    const lines = await failure(['workload.loop.kind=open']);
    expect(lines).toEqual([
      expect.stringMatching(/:40:3: workload\.loop\.rate: missing required key "rate" .*after --set workload\.loop\.kind=open; .*--set 'workload\.loop=\{\.\.\.\}'/),
      expect.stringMatching(/:42:5: workload\.loop\.concurrency: unknown key "concurrency" .*after --set workload\.loop\.kind=open/),
    ]);
  });

  it('refuses to descend into a value that is not a mapping', async () => {
    expect(await failure(['name.first=x'])).toEqual([
      expect.stringMatching(/: name\.first: "name" holds "quickstart", not a mapping, so it has no field "first" \(from --set name\.first=x\)$/),
    ]);
  });
});
