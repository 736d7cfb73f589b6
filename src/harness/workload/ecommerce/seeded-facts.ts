import type { DatasetSpec, Region } from '../../scenario/schema.ts';
import { mix32 } from '../hash.ts';

// Facts that both the dataset and the operation generator need about arbitrary ids. They are
// pure functions of (seed, id), not draws from a stream, so a worker can learn a customer's
// warehouse without the dataset in memory and the dataset can price a line without a lookup.

/** Dataset timestamps are relative to this fixed instant, so rows never depend on the clock. */
export const DATASET_EPOCH_MS = Date.UTC(2025, 0, 1);

const PRICE_TAG = 1;
const REGION_TAG = 2;
const MIN_PRICE_CENTS = 1_000;
const MAX_PRICE_CENTS = 50_000;

/** Price in cents, uniform in [10.00, 500.00]. */
export function productPriceCents(seed: number, productId: number): number {
  return MIN_PRICE_CENTS + (mix32(seed, PRICE_TAG, productId) % (MAX_PRICE_CENTS - MIN_PRICE_CENTS + 1));
}

export function customerRegion(dataset: DatasetSpec, seed: number, customerId: number): Region {
  return dataset.regions[mix32(seed, REGION_TAG, customerId) % dataset.regions.length]!;
}

/** One warehouse per region, numbered from 1 in the order of `dataset.regions`. */
export function regionWarehouseId(dataset: DatasetSpec, region: Region): number {
  const index = dataset.regions.indexOf(region);
  if (index < 0) throw new Error(`region ${region} is not in the dataset`);
  return index + 1;
}

export function customerWarehouseId(dataset: DatasetSpec, seed: number, customerId: number): number {
  return regionWarehouseId(dataset, customerRegion(dataset, seed, customerId));
}

/**
 * How many of `total = floor(count * perItem)` things item `index` (1-based) gets: the
 * Bresenham split, so the total is known from the spec alone and fractions spread evenly.
 */
export function spreadCount(perItem: number, index: number): number {
  return Math.floor(index * perItem) - Math.floor((index - 1) * perItem);
}

export function historicalOrderCount(dataset: DatasetSpec): number {
  return Math.floor(dataset.customers * dataset.ordersPerCustomer);
}

/** Historical orders are ids 1..H; the workload's checkouts start right above them. */
export function firstWorkloadOrderId(dataset: DatasetSpec): number {
  return historicalOrderCount(dataset) + 1;
}

/** Exact decimal text for a cent amount, as numeric(…, 2) prints it. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Parses numeric text into integer cents without float rounding; sub-cent digits must be zero. */
export function parseCents(text: string): number {
  const match = /^(-)?(\d+)(?:\.(\d{1,2})(0*))?$/.exec(text.trim());
  if (!match) throw new Error(`not a whole number of cents: ${JSON.stringify(text)}`);
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '0').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}
