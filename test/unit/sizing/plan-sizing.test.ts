import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/harness/output/exit-codes.ts';
import { parseConcurrencyLevels, planSizing } from '../../../src/harness/sizing/plan-sizing.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { ROOT } from '../cli/run-cli.ts';

const QUICKSTART = join(ROOT, 'scenarios/quickstart.yaml');
const MATRIX = join(ROOT, 'scenarios/matrix-replication.yaml');

describe('parseConcurrencyLevels', () => {
  it('reads comma-separated whole numbers, in any order, sorted', () => {
    expect(parseConcurrencyLevels('8,1, 4,2')).toEqual([1, 2, 4, 8]);
  });

  it.each([
    [undefined, /size needs --concurrency/],
    ['1,2', /needs at least 3 levels, got 2 \(1,2\)/],
    ['', /needs at least 3 levels, got 0;/],
    ['1,two,4', /--concurrency: "two" is not a number of clients/],
    ['0,1,2', /--concurrency: "0" is not a number of clients/],
    ['1.5,2,4', /"1\.5" is not a number of clients/],
    ['1,2,2,4', /--concurrency: 2 is given twice/],
  ])('%j is refused with a usage error naming --concurrency', (text, message) => {
    expect(() => parseConcurrencyLevels(text)).toThrow(UsageError);
    expect(() => parseConcurrencyLevels(text)).toThrow(message);
  });
});

describe('planSizing', () => {
  it('makes one closed-loop variant per level with the same seed, named by its concurrency, in its own report folder', async () => {
    const plan = planSizing(await loadScenario(QUICKSTART), [], { concurrency: '4,1,2', duration: '3s', target: '500' });
    expect(plan.matrix.name).toBe('quickstart-sizing');
    expect(plan.levels).toEqual([1, 2, 4]);
    expect(plan.matrix.variants.map((v) => [v.label, v.slug])).toEqual([
      ['concurrency=1', 'concurrency=1'],
      ['concurrency=2', 'concurrency=2'],
      ['concurrency=4', 'concurrency=4'],
    ]);
    expect(plan.matrix.variants.map((v) => v.scenario.workload.loop)).toEqual([1, 2, 4].map((concurrency) => ({ kind: 'closed', concurrency })));
    expect(plan.matrix.variants.every((v) => v.scenario.seed === 42 && v.scenario.workload.duration === 3000 && v.scenario.matrix === undefined)).toBe(true);
    expect(plan).toMatchObject({ target: 500, operatingPoint: 0.75, durationMs: 3000, warmupMs: 3000 });
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]!.label).toBe('');
    expect(plan.groups[0]!.levels.map((l) => l.concurrency)).toEqual([1, 2, 4]);
  });

  it('sizes each combination of a scenario matrix as its own unit', async () => {
    const plan = planSizing(await loadScenario(MATRIX), [], { concurrency: '1,2,4' });
    expect(plan.groups.map((g) => g.label)).toEqual(['replication=async', 'replication=sync', 'replication=remote_apply']);
    expect(plan.groups[1]!.values).toEqual({ 'topology.replication': 'sync' });
    expect(plan.groups[1]!.levels.map((l) => l.variant.label)).toEqual(['replication=sync,concurrency=1', 'replication=sync,concurrency=2', 'replication=sync,concurrency=4']);
    expect(plan.target).toBeNull();
  });

  it.each([
    [{ concurrency: '1,2,4', target: '-5' }, [], /--target: expected orders per second above 0.*got "-5"/],
    [{ concurrency: '1,2,4', target: 'lots' }, [], /--target: .*got "lots"/],
    [{ concurrency: '1,2,4', operatingPoint: '1.2' }, [], /--operating-point: .*at most 1.*got "1\.2"/],
    [{ concurrency: '1,2,4', duration: 'soon' }, [], /--duration: "soon" is not a duration/],
    [{ concurrency: '1,2,4' }, ['workload.loop.concurrency=3'], /--set workload\.loop\.concurrency=3: size sets workload\.loop itself/],
    [{ concurrency: '1,2,4' }, ['workload.operations.checkout.weight=0'], /runs no checkout \(weight 0\), so there are no orders per second/],
  ])('refuses %j with --set %j before any server starts', async (options, set, message) => {
    const loaded = await loadScenario(QUICKSTART, set);
    expect(() => planSizing(loaded, set, options)).toThrow(message);
  });

  it('refuses more runs than a matrix may hold, naming --concurrency', async () => {
    const loaded = await loadScenario(MATRIX);
    expect(() => planSizing(loaded, [], { concurrency: '1,2,3,4,5,6,7,8,9' })).toThrow(/--concurrency: 9 levels × 3 matrix variants = 27 runs; at most 24/);
  });

  describe('with a scenario file of its own', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'faultline-plan-sizing-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    let files = 0;
    async function scenarioFile(extra: string): Promise<string> {
      const file = join(dir, `s${++files}.yaml`);
      await writeFile(file, `name: s\ndescription: d\ntopology: { kind: pg-single-leader, replicas: 0 }\n${extra}`);
      return file;
    }

    it('replaces an open loop with a closed one at every level, and remembers it', async () => {
      const loaded = await loadScenario(await scenarioFile('workload: { loop: { kind: open, rate: 100 } }\n'));
      const plan = planSizing(loaded, [], { concurrency: '1,2,4' });
      expect(plan.scenarioLoop).toMatchObject({ kind: 'open', rate: 100 });
      expect(plan.matrix.variants.map((v) => v.scenario.workload.loop.kind)).toEqual(['closed', 'closed', 'closed']);
    });

    it('refuses a matrix that varies the loop', async () => {
      const loaded = await loadScenario(await scenarioFile('matrix: { workload.loop.concurrency: [1, 2] }\n'));
      expect(() => planSizing(loaded, [], { concurrency: '1,2,4' })).toThrow(/matrix varies workload\.loop\.concurrency, which size sets itself/);
    });
  });
});
