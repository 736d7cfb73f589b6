import { describe, expect, it } from 'vitest';
import { customerOwners, homeNodeOf } from '../../../src/harness/scenario/regional-central-schema.ts';
import { Scenario } from '../../../src/harness/scenario/schema.ts';
import { loadScenario } from '../../../src/harness/scenario/load-scenario.ts';
import { SCENARIOS } from './fixtures.ts';

const REGIONS = {
  seattle: { customers: ['NA'] },
  boston: { customers: ['EMEA'] },
  denver: { customers: ['APJ', 'LATAM'] },
  central: { clients: 0 },
};

function parse(overrides: Record<string, unknown> = {}, topology: Record<string, unknown> = {}) {
  return Scenario.safeParse({
    name: 'rc',
    description: 'regional central',
    regions: REGIONS,
    topology: { kind: 'pg-regional-central', regions: ['seattle', 'boston', 'denver'], central: { region: 'central' }, ...topology },
    checks: ['central-completeness', 'invariants'],
    ...overrides,
  });
}

const messages = (result: ReturnType<typeof parse>) => (result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

describe('pg-regional-central scenarios', () => {
  it('accepts seed 004\'s shape, with its defaults', () => {
    const result = parse();
    expect(messages(result)).toEqual([]);
    expect(result.data?.topology).toEqual({
      kind: 'pg-regional-central',
      regions: ['seattle', 'boston', 'denver'],
      replicasPerRegion: 0,
      central: { region: 'central' },
      publish: ['orders', 'order_items', 'payments'],
      settings: {},
    });
  });

  it('accepts no central (geo-partitioning)', () => {
    expect(messages(parse({}, { central: false }))).toEqual([]);
  });

  it('needs top-level regions, declared ones, and customers for every regional node', () => {
    expect(messages(parse({ regions: undefined }))).toContainEqual(expect.stringMatching(/^topology.regions: pg-regional-central needs top-level regions/));
    expect(messages(parse({}, { regions: ['seattle', 'boston', 'denver', 'austin'] }))).toContainEqual('topology.regions.3: unknown region austin (declared: seattle, boston, denver, central)');
    expect(messages(parse({ regions: { ...REGIONS, boston: {} } }))).toContainEqual(expect.stringMatching(/^regions.boston.customers: boston has a node/));
    expect(messages(parse({}, { central: { region: 'mars' } }))).toContainEqual(expect.stringMatching(/^topology.central.region: unknown region mars/));
  });

  it('refuses customers no region owns, and clients with no node to go to', () => {
    const noDenver = parse({}, { regions: ['seattle', 'boston'] });
    expect(messages(noDenver)).toContainEqual(expect.stringMatching(/^regions.denver: denver's clients would have no regional node/));
    expect(messages(noDenver)).toContainEqual(expect.stringMatching(/no region owns the APJ, LATAM customers/));
  });

  it('refuses checks that read one region as if it held everything, and central-completeness elsewhere', () => {
    expect(messages(parse({ checks: ['lost-writes', 'convergence'] }))).toEqual([
      expect.stringMatching(/^checks: lost-writes does not apply to pg-regional-central/),
      expect.stringMatching(/^checks: convergence does not apply to pg-regional-central/),
    ]);
    const elsewhere = Scenario.safeParse({ name: 'sl', description: 'x', topology: { kind: 'pg-single-leader' }, checks: ['central-completeness'] });
    expect(messages(elsewhere)).toEqual(['checks: central-completeness needs topology kind pg-regional-central']);
  });

  it('always publishes what central-completeness reads', () => {
    expect(messages(parse({}, { publish: ['orders', 'shipments'] }))).toContainEqual(expect.stringMatching(/^topology.publish: must include orders, order_items, payments/));
    expect(messages(parse({}, { publish: ['orders', 'order_items', 'payments', 'shipments'] }))).toEqual([]);
  });

  it('refuses a region named like the central node while central exists', () => {
    const result = parse({ regions: { ...REGIONS, central: { customers: ['APJ', 'LATAM'] }, denver: { clients: 0 } } }, { regions: ['seattle', 'boston', 'central'] });
    expect(messages(result)).toContainEqual(expect.stringMatching(/^topology.regions.2: a region named central would clash/));
  });

  it('routes a client region to the node owning its customers: its own, or the only one that can serve it', () => {
    const declared = { 'us-east': { customers: ['NA', 'LATAM'] as const }, 'eu-west': { customers: ['EMEA', 'APJ'] as const }, 'us-west': {} };
    const owners = customerOwners(['us-east', 'eu-west'], declared, ['NA', 'EMEA', 'APJ', 'LATAM']);
    expect(Object.fromEntries(owners)).toEqual({ NA: 'us-east', LATAM: 'us-east', EMEA: 'eu-west', APJ: 'eu-west' });
    expect(homeNodeOf('eu-west', ['us-east', 'eu-west'], declared, owners)).toBe('eu-west');
    expect(homeNodeOf('us-west', ['us-east', 'eu-west'], declared, owners)).toBeUndefined();
    expect(homeNodeOf('us-west', ['us-east'], declared, customerOwners(['us-east'], {}, ['NA']))).toBe('us-east');
  });

  it('the shipped scenarios are valid', async () => {
    await expect(loadScenario(`${SCENARIOS}regional-central.yaml`)).resolves.toBeDefined();
    await expect(loadScenario(`${SCENARIOS}eu-expansion/geo-partitioned.yaml`)).resolves.toBeDefined();
  });
});
