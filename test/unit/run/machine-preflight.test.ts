import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { datasetBytes, machineProblems } from '../../../src/harness/run/machine-preflight.ts';

// Sizes inside their bounds one by one can still not fit the machine together: the dataset's
// copies against free space, the workers against open files.

const scenario = (extra: string) => parseScenario(`name: m\ndescription: d\n${extra}`, 'inline.yaml');
const GB = 1024 ** 3;

describe('does the scenario fit this machine', () => {
  it('the quickstart fits a small machine', () => {
    expect(machineProblems(scenario('topology: { kind: pg-single-leader }\n'), { freeBytes: 2 * GB, openFiles: 1024 })).toEqual([]);
  });

  it('a dataset too large for the free space is refused, counting every copy of it', () => {
    const big = 'workload: { dataset: { customers: 3000000 } }\n';
    const one = scenario(`topology: { kind: pg-single-leader, replicas: 0 }\n${big}`);
    const three = scenario(`topology: { kind: pg-single-leader, replicas: 2 }\n${big}`);
    const free = { freeBytes: (datasetBytes(one.workload.dataset) * 2) / 0.8, openFiles: 20_000 };
    expect(machineProblems(one, free)).toEqual([]);
    expect(machineProblems(three, free)[0]).toMatch(/^workload\.dataset: about 31,501,012 rows on 3 servers need about [\d.]+ GB, and .* has [\d.]+ GB free/);
  });

  it('more workers than the open-file limit allows are refused, naming ulimit -n', () => {
    const many = scenario('topology: { kind: pg-single-leader, settings: { max_connections: 2100 } }\nworkload: { loop: { kind: closed, concurrency: 1000 } }\n');
    expect(machineProblems(many, { freeBytes: 100 * GB, openFiles: 20_000 })).toEqual([]);
    expect(machineProblems(many, { freeBytes: 100 * GB, openFiles: 1024 })).toEqual([
      'workload.loop.concurrency: 1000 workers need up to 6256 open files and this shell allows 1024 (ulimit -n): fewer workers, or raise ulimit -n',
    ]);
  });
});
