import { describe, expect, it } from 'vitest';
import { composeLinkState, NetworkFaults, type LinkState } from '../../../src/harness/fault/link-effects.ts';
import { linksAcrossSides, linksBetween, linksTouching, type LinkInfo } from '../../../src/harness/fault/link-selection.ts';

const links: LinkInfo[] = [
  { name: 'clients->primary', from: 'clients', to: 'primary' },
  { name: 'clients->replica1', from: 'clients', to: 'replica1' },
  { name: 'replica1->primary', from: 'replica1', to: 'primary' },
  { name: 'primary->replica1', from: 'primary', to: 'replica1' },
];

describe('link selection', () => {
  it('isolating a node cuts every link touching it, clients included', () => {
    expect(linksTouching(links, new Set(['primary'])).map((s) => s.link)).toEqual([
      'clients->primary',
      'replica1->primary',
      'primary->replica1',
    ]);
  });

  it('a one-way cut loses only traffic from the first party to the second', () => {
    // WAL flows from primary to replica1 downstream on the link replica1 opened to the primary.
    expect(linksBetween(links, new Set(['primary']), new Set(['replica1']), true)).toEqual([
      { link: 'replica1->primary', direction: 'downstream' },
      { link: 'primary->replica1', direction: 'upstream' },
    ]);
  });

  it('sides cut only links between different sides', () => {
    const cut = linksAcrossSides(links, [new Set(['primary']), new Set(['replica1', 'clients'])]);
    expect(cut.map((s) => s.link)).toEqual(['clients->primary', 'replica1->primary', 'primary->replica1']);
  });
});

describe('composed link faults', () => {
  it('adds latencies, keeps the narrowest bandwidth, and lets a reset win over a blackhole', () => {
    const state = composeLinkState([
      { kind: 'delay', delayMs: 20, jitterMs: 2, direction: 'both' },
      { kind: 'delay', delayMs: 5, jitterMs: 0, direction: 'upstream' },
      { kind: 'rate', bytesPerSecond: 1000, direction: 'both' },
      { kind: 'rate', bytesPerSecond: 500, direction: 'downstream' },
      { kind: 'cut', mode: 'blackhole', direction: 'downstream' },
      { kind: 'cut', mode: 'reset', direction: 'downstream' },
    ]);
    expect(state.upstream).toEqual({ mode: 'pass', delayMs: 25, jitterMs: 2, bytesPerSecond: 1000 });
    expect(state.downstream).toEqual({ mode: 'reset', delayMs: 20, jitterMs: 2, bytesPerSecond: 500 });
  });

  it('healing one fault leaves an overlapping one in force', async () => {
    const applied: [string, LinkState][] = [];
    const network = new NetworkFaults({ setLinkState: async (link, state) => void applied.push([link, state]) });
    await network.apply(1, 'l', { kind: 'cut', mode: 'blackhole', direction: 'both' });
    await network.apply(2, 'l', { kind: 'delay', delayMs: 40, jitterMs: 0, direction: 'both' });
    await network.remove(1);
    expect(applied.at(-1)![1].upstream).toEqual({ mode: 'pass', delayMs: 40, jitterMs: 0, bytesPerSecond: undefined });
    await network.remove(2);
    expect(applied.at(-1)![1].upstream.delayMs).toBe(0);
  });
});
