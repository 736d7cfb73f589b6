import { describe, expect, it } from 'vitest';
import { Scenario } from '../../../src/harness/scenario/schema.ts';

const base = {
  name: 'r',
  description: 'regions',
  regions: { 'us-east': { customers: ['NA'] }, 'eu-west': { customers: ['EMEA'] } },
  topology: { kind: 'pg-single-leader', replicas: 1, regions: ['us-east', 'eu-west'] },
};

function problems(input: object): string[] {
  const parsed = Scenario.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('regions and the latency matrix in a scenario', () => {
  it('accepts regions, node placement and a symmetric one-way delay', () => {
    const parsed = Scenario.parse({ ...base, latency: [{ between: ['us-east', 'eu-west'], delay: '40ms', jitter: '2ms' }] });
    expect(parsed.latency[0]).toEqual({ between: ['us-east', 'eu-west'], delay: 40, jitter: 2 });
    expect(parsed.regions!['us-east']!.clients).toBe(1);
  });

  it('names the latency entry that refers to an undeclared region', () => {
    expect(problems({ ...base, latency: [{ between: ['us-east', 'ap-south'], delay: '40ms' }] })).toEqual([
      'latency.0.between.1: unknown region ap-south (declared: us-east, eu-west)',
    ]);
  });

  it('refuses a pair given twice, in either order', () => {
    const latency = [
      { between: ['us-east', 'eu-west'], delay: '40ms' },
      { between: ['eu-west', 'us-east'], delay: '50ms' },
    ];
    expect(problems({ ...base, latency })).toEqual(['latency.1.between: eu-west ↔ us-east is given twice']);
  });

  it('refuses a customer region served by two regions', () => {
    const regions = { 'us-east': { customers: ['NA', 'EMEA'] }, 'eu-west': { customers: ['EMEA'] } };
    expect(problems({ ...base, regions })).toEqual(['regions.eu-west.customers: EMEA customers are already served by us-east; a customer region belongs to one region']);
  });

  it('needs one region per node of a single leader, each declared', () => {
    expect(problems({ ...base, topology: { ...base.topology, regions: ['us-east'] } })).toEqual([
      'topology.regions: 2 nodes (the primary and 1 replicas) need 2 regions, got 1',
    ]);
    expect(problems({ ...base, topology: { ...base.topology, regions: ['us-east', 'mars'] } })).toEqual([
      'topology.regions.1: unknown region mars (declared: us-east, eu-west)',
    ]);
  });

  it('keeps fault target words out of region names', () => {
    expect(problems({ ...base, regions: { clients: {} }, topology: { kind: 'pg-single-leader' } })[0]).toMatch(/fault target words/);
  });
});
