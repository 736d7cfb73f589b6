import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { ScenarioError } from '../../../src/harness/scenario/scenario-error.ts';

// workload.threads: where the load can be split over threads, and the message where it cannot.

const scenario = (topology: string, workload: string) => `name: t\ndescription: d\ntopology: ${topology}\nworkload: ${workload}\n`;

function problems(source: string): string[] {
  try {
    parseScenario(source, 'inline.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('workload.threads', () => {
  it('defaults to one thread and takes more for a closed or an open loop on a PostgreSQL topology', () => {
    expect(parseScenario(scenario('{ kind: pg-single-leader }', '{}'), 'inline.yaml').workload.threads).toBe(1);
    expect(problems(scenario('{ kind: pg-single-leader }', '{ threads: 2, loop: { kind: closed, concurrency: 8 } }'))).toEqual([]);
    expect(problems(scenario('{ kind: pg-single-leader }', '{ threads: 2, loop: { kind: open, rate: 100, connections: 4 } }'))).toEqual([]);
    expect(problems(scenario('{ kind: pg-multi-leader }', '{ threads: 2 }'))).toEqual([]);
  });

  it('refuses more threads than workers or connections, and zero, naming the field', () => {
    expect(problems(scenario('{ kind: pg-single-leader }', '{ threads: 3, loop: { kind: open, rate: 100, connections: 2 } }'))).toEqual([
      expect.stringMatching(/^workload\.threads: 3 threads for 2 connections .* at most workload\.loop\.connections \(2\)/),
    ]);
    expect(problems(scenario('{ kind: pg-single-leader }', '{ threads: 4, loop: { kind: closed, concurrency: 2 } }'))).toEqual([
      expect.stringMatching(/^workload\.threads: 4 threads for 2 workers .* at most workload\.loop\.concurrency \(2\)/),
    ]);
    expect(problems(scenario('{ kind: pg-single-leader }', '{ threads: 0 }'))[0]).toMatch(/^workload\.threads: /);
  });

  it('refuses topologies whose load belongs to the run thread, saying why', () => {
    const partitioned = problems(scenario('{ kind: pg-partitioned, shards: 2, tables: { orders: { strategy: hash, key: customer_id } } }', '{ threads: 2 }'));
    expect(partitioned).toContainEqual(expect.stringMatching(/^workload\.threads: pg-partitioned runs its load in one thread \(checkout's distributed commit/));
    expect(problems(scenario('{ kind: mongo-replica-set }', '{ threads: 2 }'))).toContainEqual(
      expect.stringMatching(/^workload\.threads: mongo-replica-set runs its load in one thread \(its worker connections/),
    );
  });
});
