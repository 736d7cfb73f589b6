import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../../src/harness/scenario/load-scenario.ts';
import { parseScenario } from '../../../../src/harness/scenario/parse-scenario.ts';
import { ScenarioError } from '../../../../src/harness/scenario/scenario-error.ts';
import { SCENARIOS } from '../../scenario/fixtures.ts';

const MONGO_FILES = readdirSync(SCENARIOS).filter((name) => /^mongo-.*\.yaml$/.test(name));

function problems(yaml: string): string {
  try {
    parseScenario(yaml, 'test.yaml');
    return '';
  } catch (error) {
    if (error instanceof ScenarioError) return error.format();
    throw error;
  }
}

const base = (topology: string, extra = '') => `name: t\ndescription: d\ntopology: ${topology}\n${extra}`;

describe('MongoDB scenarios', () => {
  it('ships the four MongoDB scenarios', () => {
    expect(MONGO_FILES.sort()).toEqual([
      'mongo-replica-set-majority-partition.yaml',
      'mongo-replica-set-w1-partition.yaml',
      'mongo-replica-set.yaml',
      'mongo-sharded.yaml',
    ]);
  });

  it.each(MONGO_FILES)('%s validates', async (file) => {
    const { scenario } = await loadScenario(`${SCENARIOS}${file}`);
    expect(scenario.topology.kind).toMatch(/^mongo-/);
    expect(scenario.provider).toEqual({ kind: 'local' });
  });

  it('the two partition known answers differ only in their write concern, name and description', async () => {
    const w1 = (await loadScenario(`${SCENARIOS}mongo-replica-set-w1-partition.yaml`)).scenario;
    const majority = (await loadScenario(`${SCENARIOS}mongo-replica-set-majority-partition.yaml`)).scenario;
    expect(w1.topology).toMatchObject({ writeConcern: { w: 1 } });
    expect(majority.topology).toMatchObject({ writeConcern: { w: 'majority' } });
    const strip = (s: typeof w1) => ({ ...s, name: '', description: '', topology: { ...s.topology, writeConcern: null } });
    expect(strip(w1)).toEqual(strip(majority));
    expect(w1.faults).toEqual([expect.objectContaining({ kind: 'partition', between: ['primary', 'replicas'] })]);
  });

  it('mongo-sharded shards orders by customer id with EMEA on shard 2', async () => {
    const { scenario } = await loadScenario(`${SCENARIOS}mongo-sharded.yaml`);
    expect(scenario.topology).toMatchObject({
      kind: 'mongo-sharded',
      collections: { orders: { strategy: 'range', key: 'customerId' } },
      zones: { emea: { shard: 2, regions: ['EMEA'] } },
    });
  });

  it('fills MongoDB defaults: 3 members, w:majority with journal, local reads, no causal sessions', () => {
    const scenario = parseScenario(base('{ kind: mongo-replica-set }'), 't.yaml');
    expect(scenario.topology).toMatchObject({
      members: 3,
      arbiter: false,
      electionTimeout: 10_000,
      writeConcern: { w: 'majority', j: true, wtimeout: 5_000 },
      readConcern: 'local',
      readPreference: 'secondaryPreferred',
      causalConsistency: false,
    });
  });

  it('names the field when priorities do not match the members', () => {
    expect(problems(base('{ kind: mongo-replica-set, members: 3, priorities: [1, 1] }'))).toMatch(/topology\.priorities.*3 members need 3 priorities/);
    expect(problems(base('{ kind: mongo-replica-set, priorities: [0, 0, 0] }'))).toMatch(/topology\.priorities.*priority above 0/);
  });

  it('refuses fewer than three members, and a w no member set can satisfy', () => {
    expect(problems(base('{ kind: mongo-replica-set, members: 2 }'))).toMatch(/topology\.members/);
    expect(problems(base('{ kind: mongo-replica-set, writeConcern: { w: 4 } }'))).toMatch(/topology\.writeConcern\.w.*can never be satisfied/);
  });

  it('refuses zones unless orders are ranged on customer id, and a region in two zones', () => {
    const zones = 'zones: { eu: { shard: 2, regions: [EMEA] } }';
    expect(problems(base(`{ kind: mongo-sharded, ${zones} }`))).toMatch(/topology\.zones.*range on customerId/);
    expect(
      problems(base(`{ kind: mongo-sharded, collections: { orders: { strategy: range, key: customerId } }, zones: { a: { shard: 1, regions: [EMEA] }, b: { shard: 2, regions: [EMEA] } } }`)),
    ).toMatch(/EMEA is already in zone a/);
    expect(problems(base(`{ kind: mongo-sharded, shards: 2, collections: { orders: { strategy: range, key: customerId } }, zones: { a: { shard: 3, regions: [NA] } } }`))).toMatch(
      /only 2 shards/,
    );
  });

  it('keeps session-guarantees for MongoDB topologies', () => {
    expect(problems(base('{ kind: pg-single-leader }', 'checks: [session-guarantees]\n'))).toMatch(/checks\[0\].*session-guarantees.*remove it/);
    expect(problems(base('{ kind: mongo-replica-set }', 'checks: [session-guarantees]\n'))).toBe('');
  });

  it('accepts a containers provider with image and version, and refuses what containers cannot do', () => {
    expect(problems(base('{ kind: mongo-replica-set }', 'provider: { kind: containers, image: mongo, version: "7.0" }\n'))).toBe('');
    const latency = 'provider: { kind: containers }\nfaults: [{ kind: latency, delay: 10ms, at: 1s }]\n';
    expect(problems(base('{ kind: mongo-replica-set }', latency))).toMatch(/faults\[0\]\.kind.*cannot apply latency/);
    expect(problems(base('{ kind: mongo-replica-set }', 'provider: { kind: containers, binDir: /x }\n'))).toMatch(/provider/);
  });
});
