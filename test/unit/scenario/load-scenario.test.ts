import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { ScenarioError, type ScenarioProblem } from '../../../src/harness/scenario/scenario-error.ts';
import { fixture } from './fixtures.ts';

async function problemsOf(file: string, overrides: readonly string[] = []): Promise<{ error: ScenarioError; problems: readonly ScenarioProblem[] }> {
  const error = await loadScenario(file, overrides).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  const scenarioError = error as ScenarioError;
  return { error: scenarioError, problems: scenarioError.problems };
}

describe('loadScenario', () => {
  it('loads a minimal scenario and fills in the defaults', async () => {
    const loaded = await loadScenario(fixture('valid.yaml'));
    expect(loaded.scenario.name).toBe('fixture-valid');
    expect(loaded.scenario.topology).toMatchObject({ kind: 'pg-single-leader', replicas: 2, replication: 'async' });
    expect(loaded.scenario.workload.duration).toBe(20_000);
    expect(loaded.file).toBe(fixture('valid.yaml'));
    expect(loaded.source).toContain('name: fixture-valid');
  });

  // [fixture, path, line, column, words the message must contain]
  const cases: [string, string, number | undefined, number | undefined, RegExp][] = [
    ['syntax-error.yaml', '', 5, 9, /^YAML syntax error: /],
    ['wrong-type.yaml', 'topology.replicas', 6, 13, /expected a number, got string "two"/],
    ['unknown-key.yaml', 'topology.replcas', 6, 3, /unknown key "replcas" \(did you mean "replicas"\?\)/],
    ['missing-topology.yaml', 'topology', undefined, undefined, /missing required key "topology"/],
    ['negative-rate.yaml', 'workload.loop.rate', 9, 11, /must be greater than 0, got -5/],
    ['bad-duration.yaml', 'workload.duration', 7, 13, /expected a duration .* got "10 minutes"/],
    ['top-level-list.yaml', '', 2, 1, /top level must be a mapping .* got a list/],
    ['empty.yaml', '', undefined, undefined, /the file is empty/],
  ];

  it.each(cases)('%s: reports %j at line %j', async (name, path, line, column, message) => {
    const { error, problems } = await problemsOf(fixture(name));
    const problem = problems[0]!;
    expect([problem.path, problem.line, problem.column]).toEqual([path, line, column]);
    expect(problem.message).toMatch(message);
    const location = line === undefined ? '' : `:${line}:${column}`;
    expect(error.format().split('\n')[0]).toBe(`${fixture(name)}${location}: ${path ? `${path}: ` : ''}${problem.message}`);
  });

  it('reports every problem in a file, one line each, in file order', async () => {
    const { error, problems } = await problemsOf(fixture('many-problems.yaml'));
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['name', 2],
      ['description', 3],
      ['topology.replication', 6],
      ['topology.settings["Shared Buffers"]', 8],
      ['workload.dataset.regions', 11],
      ['workload.loop.rate', 14],
      ['workload.operations.view-products', 16],
      ['workload.operations.checkout.readFrom', 17],
      ['checks[0]', 18],
    ]);
    expect(error.format().split('\n')).toHaveLength(problems.length);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    expect(byPath.get('name')).toMatch(/^expected lower-case letters.*got string "Fixture Many"$/);
    expect(byPath.get('description')).toBe('must not be empty');
    expect(byPath.get('topology.replication')).toMatch(/got string "asnyc" \(did you mean "async"\?\)/);
    expect(byPath.get('topology.settings["Shared Buffers"]')).toMatch(/invalid key "Shared Buffers": expected a postgresql.conf parameter name/);
    expect(byPath.get('workload.loop.rate')).toBe('unknown key "rate" (allowed here: kind, concurrency)');
    expect(byPath.get('workload.operations.view-products')).toMatch(/did you mean "view-product"/);
    expect(byPath.get('checks[0]')).toMatch(/expected one of .*"invariants".*, got string "invariant" \(did you mean "invariants"\?\)/);
  });

  it('turns an unreadable path into a problem with the file, not a crash', async () => {
    const { error } = await problemsOf(fixture('does-not-exist.yaml'));
    expect(error.format()).toMatch(/does-not-exist\.yaml: no such file; check the path/);
    const { problems } = await problemsOf(fixture(''));
    expect(problems[0]?.message).toMatch(/is a directory/);
  });
});
