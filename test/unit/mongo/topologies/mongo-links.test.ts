import { describe, expect, it } from 'vitest';
import { CLEAN, type LinkState } from '../../../../src/harness/fault/link-effects.ts';
import { linksBetween, linksTouching } from '../../../../src/harness/fault/link-selection.ts';
import { containerLinks, type Cuttable } from '../../../../src/topologies/mongo/network/container-isolation.ts';
import { CLEAN_LINK, inboundPeerState, peerLinkNames } from '../../../../src/topologies/network/peer-link-state.ts';

const CUT: LinkState = { upstream: { ...CLEAN, mode: 'blackhole' }, downstream: { ...CLEAN, mode: 'blackhole' } };
const SLOW: LinkState = { upstream: { ...CLEAN, delayMs: 50 }, downstream: { ...CLEAN, delayMs: 50 } };
const members = ['mongo1', 'mongo2', 'mongo3'];

describe('MongoDB member links (one inbound proxy link per member)', () => {
  it('cuts everything into the primary when a partition puts it alone on its side', () => {
    const logical = new Map<string, LinkState>();
    for (const { link } of linksBetween(peerLinkNames(members), new Set(['mongo1']), new Set(['mongo2', 'mongo3']))) logical.set(link, CUT);
    expect(inboundPeerState('mongo1', members, logical)).toEqual(CUT);
    // mongo2 must still hear mongo3, so its inbound link cannot be cut for mongo1 alone.
    expect(inboundPeerState('mongo2', members, logical)).toEqual(CLEAN_LINK);
    expect(inboundPeerState('mongo3', members, logical)).toEqual(CLEAN_LINK);
  });

  it('applies a latency that every peer link into a node carries', () => {
    const logical = new Map<string, LinkState>([
      ['mongo2->mongo1', SLOW],
      ['mongo3->mongo1', SLOW],
    ]);
    expect(inboundPeerState('mongo1', members, logical)).toEqual(SLOW);
    expect(inboundPeerState('mongo1', members, new Map([['mongo2->mongo1', SLOW]]))).toEqual(CLEAN_LINK);
  });
});

describe('container partitions (docker network disconnect)', () => {
  function nodes(): { list: Cuttable[]; calls: string[] } {
    const calls: string[] = [];
    const list = members.map((name) => {
      const cut = { peers: false, clients: false };
      return {
        name,
        async setCut(path: 'peers' | 'clients', value: boolean) {
          if (cut[path] === value) return;
          cut[path] = value;
          calls.push(`${name} ${path} ${value ? 'off' : 'on'}`);
        },
      };
    });
    return { list, calls };
  }

  it('takes the primary off the run network but keeps its clients for a partition between it and the replicas', async () => {
    const { list, calls } = nodes();
    const { links, linkControl } = containerLinks(list);
    const selected = linksBetween(links, new Set(['mongo1']), new Set(['mongo2', 'mongo3']));
    for (const { link } of selected) await linkControl.setLinkState(link, CUT);
    expect(calls).toEqual(['mongo1 peers off']);
    for (const { link } of selected) await linkControl.setLinkState(link, CLEAN_LINK);
    expect(calls).toEqual(['mongo1 peers off', 'mongo1 peers on']);
  });

  it('takes an isolated node off both networks', async () => {
    const { list, calls } = nodes();
    const { links, linkControl } = containerLinks(list);
    for (const { link } of linksTouching(links, new Set(['mongo2']))) await linkControl.setLinkState(link, CUT);
    expect(calls.sort()).toEqual(['mongo2 clients off', 'mongo2 peers off']);
  });
});
