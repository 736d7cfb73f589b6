import type { DatasetSpec, Region } from '../../scenario/schema.ts';
import { createRandom, sampleDistinct } from '../random.ts';
import { DAY_MS, isoSeconds, seededFaker, YEAR_MS } from './seeded-faker.ts';
import { customerRegion, DATASET_EPOCH_MS, spreadCount } from './seeded-facts.ts';
import type { TableData } from './table-rows.ts';
import { MAX_CHECKOUT_ITEMS, MAX_UNITS_PER_LINE, pickStars } from './vocabulary.ts';

// The customer side of the dataset: customers, their past ratings and abandoned carts.

/** Share of customers who left a cart behind before the run; expire-carts has work from the start. */
const ABANDONED_CART_SHARE = 0.2;

export interface CustomerRecord {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly address: string;
  readonly region: Region;
  readonly createdAt: string;
}

/** Customers in id order. Customers all joined more than a year before the dataset epoch. */
export function* customerRecords(dataset: DatasetSpec, seed: number): Generator<CustomerRecord> {
  const faker = seededFaker(seed, 'dataset.customers');
  const random = createRandom(seed, 'dataset.customers');
  for (let id = 1; id <= dataset.customers; id++) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    yield {
      id,
      name: `${first} ${last}`,
      // The id keeps emails unique without a global set of names seen so far.
      email: `${emailPart(first)}.${emailPart(last)}.${id}@example.com`,
      address: `${faker.location.streetAddress()}, ${faker.location.city()}`,
      region: customerRegion(dataset, seed, id),
      createdAt: isoSeconds(DATASET_EPOCH_MS - random.int(YEAR_MS, 3 * YEAR_MS)),
    };
  }
}

function emailPart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'x';
}

export function customersTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'customers',
    columns: ['id', 'name', 'email', 'address', 'region', 'created_at', 'recommended_products'],
    *rows() {
      for (const c of customerRecords(dataset, seed)) {
        yield [c.id, c.name, c.email, c.address, c.region, c.createdAt, []];
      }
    },
  };
}

export function ratingsTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'ratings',
    columns: ['customer_id', 'product_id', 'stars', 'created_at'],
    *rows() {
      const random = createRandom(seed, 'dataset.ratings');
      for (let customerId = 1; customerId <= dataset.customers; customerId++) {
        const count = Math.min(dataset.products, spreadCount(dataset.ratingsPerCustomer, customerId));
        for (const productId of sampleDistinct(random, dataset.products, count)) {
          const createdAt = isoSeconds(DATASET_EPOCH_MS - random.int(1, YEAR_MS));
          yield [customerId, productId, pickStars(random), createdAt];
        }
      }
    },
  };
}

interface AbandonedCart {
  readonly customerId: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly items: readonly { readonly productId: number; readonly quantity: number; readonly addedAt: string }[];
}

/** Replayed once per table (carts, cart_items): same stream, same carts. */
function* abandonedCarts(dataset: DatasetSpec, seed: number): Generator<AbandonedCart> {
  const random = createRandom(seed, 'dataset.carts');
  for (let customerId = 1; customerId <= dataset.customers; customerId++) {
    if (!random.chance(ABANDONED_CART_SHARE)) continue;
    const updatedMs = DATASET_EPOCH_MS - random.int(1, 30 * DAY_MS);
    const createdMs = updatedMs - random.int(0, DAY_MS);
    const count = Math.min(dataset.products, random.int(1, MAX_CHECKOUT_ITEMS));
    const items = sampleDistinct(random, dataset.products, count).map((productId) => ({
      productId,
      quantity: random.int(1, MAX_UNITS_PER_LINE),
      addedAt: isoSeconds(random.int(createdMs, updatedMs)),
    }));
    yield { customerId, createdAt: isoSeconds(createdMs), updatedAt: isoSeconds(updatedMs), items };
  }
}

export function cartsTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'carts',
    columns: ['customer_id', 'created_at', 'updated_at'],
    *rows() {
      for (const cart of abandonedCarts(dataset, seed)) yield [cart.customerId, cart.createdAt, cart.updatedAt];
    },
  };
}

export function cartItemsTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'cart_items',
    columns: ['customer_id', 'product_id', 'quantity', 'added_at'],
    *rows() {
      for (const cart of abandonedCarts(dataset, seed)) {
        for (const item of cart.items) yield [cart.customerId, item.productId, item.quantity, item.addedAt];
      }
    },
  };
}
