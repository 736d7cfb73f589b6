import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { ScenarioError } from '../../../src/harness/scenario/scenario-error.ts';

const BASE = 'name: t\ndescription: d\ntopology: { kind: pg-single-leader }\n';

function problems(source: string, overrides: readonly string[] = []): string[] {
  try {
    parseScenario(source, 'inline.yaml', overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return error.format().split('\n');
    throw error;
  }
  throw new Error('expected the scenario to be invalid');
}

describe('parseScenario', () => {
  it('converts durations to milliseconds', () => {
    const scenario = parseScenario(`${BASE}workload: { duration: 1.5m, warmup: 250ms, cartExpiry: 30 }\n`, 'inline.yaml');
    expect(scenario.workload).toMatchObject({ duration: 90_000, warmup: 250, cartExpiry: 30_000 });
  });

  it('rejects durations without a known unit, negative or overflowing ones', () => {
    expect(problems(`${BASE}workload: { warmup: -2 }\n`)).toEqual([
      expect.stringMatching(/^inline\.yaml:4:21: workload\.warmup: expected a duration .* got -2$/),
    ]);
    expect(problems(`${BASE}workload: { duration: 3d }\n`)[0]).toMatch(/workload\.duration: expected a duration/);
    expect(problems(`${BASE}workload: { duration: 1${'0'.repeat(400)}s }\n`)[0]).toMatch(/workload\.duration: expected a duration/);
  });

  it('names the discriminator when a kind is wrong or missing', () => {
    expect(problems('name: t\ndescription: d\ntopology: { kind: pg-multi }\n')).toEqual([
      'inline.yaml:3:19: topology.kind: expected one of "pg-single-leader", "pg-partitioned", "pg-multi-leader", "mongo-replica-set", ' +
        '"mongo-sharded", "pg-regional-central", got string "pg-multi"',
    ]);
    expect(problems(`${BASE}workload: { loop: { rate: 5 } }\n`)[0]).toMatch(
      /workload\.loop\.kind: missing required key "kind" \(one of "closed", "open"\)/,
    );
  });

  it('rejects an operation mix in which nothing can run', () => {
    expect(problems(`${BASE}workload: { operations: { checkout: { weight: 0 } } }\n`)[0]).toMatch(
      /workload\.operations: at least one operation needs a weight above 0/,
    );
  });

  it('treats a file of only comments as empty', () => {
    expect(problems('# nothing here\n')).toEqual([expect.stringMatching(/^inline\.yaml: the file is empty/)]);
  });

  it('reports duplicate keys as YAML errors with their line', () => {
    expect(problems(`${BASE}seed: 1\nseed: 2\n`)[0]).toMatch(/^inline\.yaml:5:1: YAML syntax error: Map keys must be unique/);
  });
});
