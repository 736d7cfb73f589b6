import { describe, expect, it } from 'vitest';
import { Scenario } from '../../../src/harness/scenario/schema.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { leaderSettings, pglogicalNodeName, subscriptionName } from '../../../src/topologies/postgres/multi-leader/leader-settings.ts';
import { SCENARIOS } from '../scenario/fixtures.ts';

// pg-multi-leader scenarios: defaults, and every mistake named by its field before any server starts.

const REGIONS = { 'us-east': { clients: 1 }, 'eu-west': { clients: 1 } };

function parse(topology: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return Scenario.safeParse({ name: 'm', description: 'd', topology: { kind: 'pg-multi-leader', ...topology }, ...extra });
}

function messages(topology: Record<string, unknown>, extra?: Record<string, unknown>): string[] {
  const result = parse(topology, extra);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('pg-multi-leader scenario', () => {
  it('defaults to two leaders, us-east and eu-west, under last_update_wins', () => {
    const result = parse({});
    expect(result.success).toBe(true);
    expect(result.data?.topology).toEqual({ kind: 'pg-multi-leader', leaders: ['us-east', 'eu-west'], conflictResolution: 'last_update_wins', settings: {} });
  });

  it.each(['last_update_wins', 'first_update_wins', 'apply_remote', 'keep_local'])('accepts conflictResolution %s', (resolution) => {
    expect(messages({ conflictResolution: resolution })).toEqual([]);
  });

  it('rejects an unknown resolution, naming the field and the choices', () => {
    expect(messages({ conflictResolution: 'error' })).toEqual([expect.stringMatching(/^topology\.conflictResolution: .*last_update_wins/)]);
  });

  it('needs 2 to 4 distinct leaders with region names', () => {
    expect(messages({ leaders: ['us-east'] })).toEqual([expect.stringMatching(/^topology\.leaders: .*2/)]);
    expect(messages({ leaders: ['a', 'b', 'c', 'd', 'e'] })).toEqual([expect.stringMatching(/^topology\.leaders: .*4/)]);
    expect(messages({ leaders: ['us-east', 'us-east'] })).toEqual(['topology.leaders: a region is listed twice: one leader per region']);
    expect(messages({ leaders: ['us-east', 'EU_West'] })[0]).toMatch(/^topology\.leaders\.1: a region name/);
    expect(messages({ leaders: ['us-east', 'primary'] })[0]).toMatch(/^topology\.leaders\.1: .*fault target words/);
  });

  it('rejects unknown keys', () => {
    expect(messages({ replicas: 2 })).toEqual([expect.stringMatching(/^topology: .*replicas/)]);
  });

  it('checks leaders against the declared regions', () => {
    expect(messages({ leaders: ['us-east', 'eu-west'] }, { regions: REGIONS })).toEqual([]);
    expect(messages({ leaders: ['us-east', 'ap-south'] }, { regions: REGIONS })).toEqual([
      'topology.leaders.1: unknown region ap-south (declared: us-east, eu-west)',
      'regions.eu-west: eu-west has client workers but no leader: add it to topology.leaders or give it clients: 0',
    ]);
  });

  it('lets a region without clients go without a leader', () => {
    const regions = { ...REGIONS, 'ap-south': { clients: 0 } };
    expect(messages({ leaders: ['us-east', 'eu-west'] }, { regions })).toEqual([]);
  });

  it('ships the hot-product scenario and its single-leader control, both valid', async () => {
    const { scenario: hot } = await loadScenario(`${SCENARIOS}multi-leader-hot-product.yaml`);
    const { scenario: control } = await loadScenario(`${SCENARIOS}multi-leader-hot-product-control.yaml`);
    expect(hot.topology).toMatchObject({ kind: 'pg-multi-leader', conflictResolution: 'last_update_wins' });
    expect(control.topology.kind).toBe('pg-single-leader');
    // The same shop and traffic: only the topology differs.
    expect(control.workload).toEqual(hot.workload);
    expect(control.regions).toEqual(hot.regions);
    expect(control.seed).toBe(hot.seed);
  });
});

describe('leader configuration', () => {
  it('loads pglogical and turns on what its resolutions need', () => {
    expect(leaderSettings('first_update_wins')).toMatchObject({
      shared_preload_libraries: 'pglogical',
      wal_level: 'logical',
      track_commit_timestamp: true,
      'pglogical.conflict_resolution': 'first_update_wins',
      'pglogical.conflict_log_level': 'LOG',
    });
  });

  it('names pglogical nodes and subscriptions in identifier characters', () => {
    expect(pglogicalNodeName('us-east')).toBe('us_east');
    expect(subscriptionName('eu-west', 'us-east')).toBe('eu_west_from_us_east');
  });
});
