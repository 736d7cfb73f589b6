import { describe, expect, it } from 'vitest';
import { geographyOf } from '../../../src/topologies/network/geography.ts';
import { resolveParty } from '../../../src/harness/fault/targets.ts';
import { createRandom } from '../../../src/harness/workload/random.ts';
import type { LinkInfo } from '../../../src/harness/fault/link-selection.ts';
import { linksBetween } from '../../../src/harness/fault/link-selection.ts';

describe('geography', () => {
  const geography = geographyOf({
    regions: { 'us-east': { clients: 1 }, 'eu-west': { clients: 1 }, central: { clients: 0 } },
    latency: [{ between: ['us-east', 'eu-west'], delay: 40, jitter: 2 }],
  })!;

  it('gives the same one-way delay in both directions and none inside a region or to the unplaced', () => {
    expect(geography.delay('us-east', 'eu-west')).toEqual({ delayMs: 40, jitterMs: 2 });
    expect(geography.delay('eu-west', 'us-east')).toEqual({ delayMs: 40, jitterMs: 2 });
    expect(geography.delay('us-east', 'us-east')).toEqual({ delayMs: 0, jitterMs: 0 });
    expect(geography.delay(undefined, 'eu-west')).toEqual({ delayMs: 0, jitterMs: 0 });
  });

  it('has clients only in regions that have client workers', () => {
    expect(geography.clientRegions).toEqual(['us-east', 'eu-west']);
    expect(geographyOf({ regions: undefined, latency: [] })).toBeUndefined();
  });
});

describe('regions as fault parties', () => {
  const links: LinkInfo[] = [
    { name: 'clients->primary', from: 'clients', to: 'primary', toRegion: 'us-east' },
    { name: 'clients@us-east->primary', from: 'clients@us-east', to: 'primary', fromRegion: 'us-east', toRegion: 'us-east' },
    { name: 'clients@eu-west->primary', from: 'clients@eu-west', to: 'primary', fromRegion: 'eu-west', toRegion: 'us-east' },
    { name: 'clients@eu-west->replica1', from: 'clients@eu-west', to: 'replica1', fromRegion: 'eu-west', toRegion: 'eu-west' },
    { name: 'replica1->primary', from: 'replica1', to: 'primary', fromRegion: 'eu-west', toRegion: 'us-east' },
  ];
  const nodes = [
    { name: 'primary', role: 'primary' as const },
    { name: 'replica1', role: 'replica' as const },
  ];
  const random = createRandom(1, 'test');
  const party = (name: string) => new Set(resolveParty(name, nodes, random, links));

  it('cuts exactly the links that cross between two regions', () => {
    const cut = linksBetween(links, party('us-east'), party('eu-west')).map((s) => s.link);
    expect(cut.sort()).toEqual(['clients@eu-west->primary', 'replica1->primary']);
  });

  it('makes "clients" mean the clients of every region and the harness', () => {
    expect([...party('clients')].sort()).toEqual(['clients', 'clients@eu-west', 'clients@us-east']);
  });

  it('still resolves node names and target words', () => {
    expect([...party('replica1')]).toEqual(['replica1']);
    expect([...party('primary')]).toEqual(['primary']);
  });
});
