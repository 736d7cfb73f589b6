import { describe, expect, it } from 'vitest';
import { assignClientRegions, clientParty, splitByWeight } from '../../../src/harness/regions/client-regions.ts';

describe('client regions', () => {
  it('splits workers by weight with the largest remainder, in declaration order', () => {
    expect(splitByWeight([1, 1], 8)).toEqual([4, 4]);
    expect(splitByWeight([3, 1], 8)).toEqual([6, 2]);
    expect(splitByWeight([1, 1, 1], 8)).toEqual([3, 3, 2]);
    expect(splitByWeight([2, 1], 1)).toEqual([1, 0]);
  });

  it('gives a worker to every region with clients before a big region takes a remainder', () => {
    expect(splitByWeight([10, 1], 2)).toEqual([1, 1]);
    expect(splitByWeight([1, 0, 1], 3)).toEqual([2, 0, 1]);
  });

  it('never creates or loses a worker', () => {
    for (const total of [1, 2, 5, 7, 16, 33]) {
      for (const weights of [[1], [1, 2], [0.3, 0.3, 0.4], [5, 0, 1, 1]]) {
        expect(splitByWeight(weights, total).reduce((a, b) => a + b, 0)).toBe(total);
      }
    }
  });

  it('assigns each worker its region and the customers that region serves', () => {
    const assigned = assignClientRegions(
      { 'us-east': { customers: ['NA', 'LATAM'], clients: 1 }, 'eu-west': { customers: ['EMEA'], clients: 1 } },
      4,
    )!;
    expect(assigned.map((a) => a.region)).toEqual(['us-east', 'us-east', 'eu-west', 'eu-west']);
    expect(assigned[3]!.customers).toEqual(['EMEA']);
    expect(assignClientRegions(undefined, 4)).toBeUndefined();
  });

  it('names a region\'s clients as a network party', () => {
    expect(clientParty('eu-west')).toBe('clients@eu-west');
  });
});
