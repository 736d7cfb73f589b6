import type { Better, MetricUnit } from './comparison-types.ts';

// Checkers report many counts; a comparison leads with the few that answer "how bad was it" for
// each check (lost writes and RPO, the outage, the staleness...), then lists the rest. The names
// here are the checkers' own count names (see src/harness/checker/).

export interface KeyCount {
  readonly name: string;
  readonly label: string;
}

export const KEY_COUNTS: Readonly<Record<string, readonly KeyCount[]>> = {
  'lost-writes': [
    { name: 'lost', label: 'lost' },
    { name: 'rpoMs', label: 'RPO' },
  ],
  availability: [
    { name: 'maxUnavailableMs', label: 'unavailable' },
    { name: 'maxFailoverMs', label: 'failover time' },
    { name: 'maxWritablePrimaries', label: 'writable primaries' },
  ],
  'replication-lag': [{ name: 'maxStalenessMs', label: 'max staleness' }],
  'read-your-writes': [{ name: 'violations', label: 'violations' }],
  'monotonic-reads': [{ name: 'violations', label: 'violations' }],
  convergence: [{ name: 'differences', label: 'differences' }],
  invariants: [
    { name: 'negative-stock', label: 'negative stock' },
    { name: 'oversold-units', label: 'units oversold' },
    { name: 'lost-decrement-units', label: 'lost stock decrements (units)' },
    { name: 'stock-not-conserved', label: 'stock not conserved' },
    { name: 'order-without-items', label: 'orders without items' },
    { name: 'payment-mismatch', label: 'payment mismatches' },
    { name: 'duplicate-order-id', label: 'duplicate order ids' },
  ],
};

export function keyCountsOf(check: string): readonly KeyCount[] {
  return KEY_COUNTS[check] ?? [];
}

/** Counts named …Ms are durations; everything else is a number of things. */
export function unitOfCount(name: string): MetricUnit {
  return /Ms(\.|@|$)/.test(name) ? 'ms' : 'count';
}

/** A count by client region (`lost@eu-west`, see checker/region-counts.ts) reads "lost (eu-west)"; others go by their own name. */
export function labelOfCount(name: string): string {
  const at = name.lastIndexOf('@');
  return at > 0 && at < name.length - 1 ? `${name.slice(0, at)} (${name.slice(at + 1)})` : name;
}

// Anomalies and waiting are bad; how many things were looked at is neither.
const WORSE_WHEN_HIGHER = /lost|rpo|unavailable|failover|writable|staleness|lag|violation|difference|negative|not-conserved|without|mismatch|duplicate|over/i;

export function betterForCount(name: string): Better {
  // A region's name says nothing about the count (acknowledged@lagos is not a lag).
  const count = name.includes('@') ? name.slice(0, name.lastIndexOf('@')) : name;
  return WORSE_WHEN_HIGHER.test(count) ? 'lower' : 'none';
}
