import type { Random } from '../random.ts';

// Small fixed vocabularies shared by the dataset and the workload.

export const PAYMENT_METHODS = ['card', 'paypal', 'bank-transfer', 'gift-card'] as const;
export const CARRIERS = ['UPS', 'DHL', 'FedEx', 'USPS', 'Royal Mail'] as const;

/** Star ratings lean positive, as real shops' do. Index i holds the weight of i + 1 stars. */
export const STAR_WEIGHTS = [10, 10, 20, 30, 30] as const;

/** Checkouts buy 1..3 distinct products, 1..3 units each; restock adds 10..50 units. */
export const MAX_CHECKOUT_ITEMS = 3;
export const MAX_UNITS_PER_LINE = 3;
export const RESTOCK_MIN = 10;
export const RESTOCK_MAX = 50;
export const PAGE_SIZE = 20;
export const ORDER_HISTORY_LIMIT = 20;
export const EXPIRE_CARTS_BATCH = 100;

/**
 * Seed 001's price ranges (10-100, 101-250, 251-500) as half-open bands [min, max) on
 * numeric(10,2) prices. The cuts at 100.01 and 250.01 are the bounds of
 * scenarios/partitioning/range-price.yaml, so each band lies inside exactly one partition and
 * the planner can prune the others.
 */
export const PRICE_BANDS: readonly (readonly [number, number])[] = [
  [10, 100.01],
  [100.01, 250.01],
  [250.01, 500.01],
];

export function pickStars(random: Random): number {
  let ticket = random.int(1, STAR_WEIGHTS.reduce((a, b) => a + b, 0));
  for (const [index, weight] of STAR_WEIGHTS.entries()) {
    ticket -= weight;
    if (ticket <= 0) return index + 1;
  }
  return STAR_WEIGHTS.length;
}
