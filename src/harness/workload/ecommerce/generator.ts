import type { Region, WorkloadSpec } from '../../scenario/schema.ts';
import { createRandom } from '../random.ts';
import type { OpGenerator, PlannedOp } from '../workload-types.ts';
import type { OpArgs } from './op-args.ts';
import type { MixEntry } from './operation-mix.ts';
import { customerRegion, customerWarehouseId, firstWorkloadOrderId, regionWarehouseId } from './seeded-facts.ts';
import {
  CARRIERS,
  EXPIRE_CARTS_BATCH,
  MAX_CHECKOUT_ITEMS,
  MAX_UNITS_PER_LINE,
  PAGE_SIZE,
  PAYMENT_METHODS,
  pickStars,
  PRICE_BANDS,
  RESTOCK_MAX,
  RESTOCK_MIN,
} from './vocabulary.ts';

// One generator per worker. Its Random is seeded from (scenario seed, worker) alone, so worker
// w draws the same operations in every run whatever the servers do; only the order ids depend on
// the number of workers.

/** Draws for a distinct product before settling for fewer lines (tiny or very skewed catalogues). */
const DISTINCT_DRAWS_PER_ITEM = 8;

export function createGenerator(
  spec: WorkloadSpec,
  seed: number,
  mix: readonly MixEntry[],
  worker: number,
  workers: number,
  customerRegions?: readonly Region[],
): OpGenerator {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error(`workers must be a positive integer, got ${workers}`);
  if (!Number.isSafeInteger(worker) || worker < 0 || worker >= workers) {
    throw new Error(`worker must be in [0, ${workers - 1}], got ${worker}`);
  }
  const random = createRandom(seed, 'workload.worker', worker);
  const totalWeight = mix.reduce((sum, entry) => sum + entry.weight, 0);
  const { dataset } = spec;
  const firstOrderId = firstWorkloadOrderId(dataset);
  const pages = Math.max(1, Math.ceil(dataset.products / dataset.categories / PAGE_SIZE));
  let checkouts = 0;
  const served = servedCustomers(spec, seed, customerRegions);
  // A region's workers serve only its customers: a drawn customer (or customer key) is mapped
  // onto the region's own list, which keeps the key distribution's skew.
  const customer = (drawn: number) => (served ? served[(drawn - 1) % served.length]! : drawn);
  const anyCustomer = () => customer(random.int(1, dataset.customers));
  // A region restocks its own warehouses: under geo-partitioning the others' stock is not on its node.
  const warehouses = customerRegions
    ?.filter((region) => dataset.regions.includes(region))
    .map((region) => regionWarehouseId(dataset, region));
  const anyWarehouse = () => (warehouses && warehouses.length > 0 ? random.pick(warehouses) : random.int(1, dataset.regions.length));

  function pickEntry(): MixEntry {
    let ticket = random.float() * totalWeight;
    for (const entry of mix) {
      ticket -= entry.weight;
      if (ticket < 0) return entry;
    }
    return mix[mix.length - 1]!;
  }

  function checkoutArgs(entry: MixEntry): OpArgs['checkout'] {
    const customerId = anyCustomer();
    const wanted = Math.min(dataset.products, random.int(1, MAX_CHECKOUT_ITEMS));
    const products = new Set<number>();
    for (let draws = 0; products.size < wanted && draws < wanted * DISTINCT_DRAWS_PER_ITEM; draws++) {
      products.add(entry.key(random));
    }
    const items = [...products].sort((a, b) => a - b).map((productId) => ({ productId, quantity: random.int(1, MAX_UNITS_PER_LINE) }));
    // Interleaved per worker: unique without coordination, and roughly increasing over time.
    const orderId = firstOrderId + worker + workers * checkouts++;
    return {
      orderId,
      customerId,
      warehouseId: customerWarehouseId(dataset, seed, customerId),
      items,
      paymentMethod: random.pick(PAYMENT_METHODS),
      carrier: random.pick(CARRIERS),
    };
  }

  function argsFor(entry: MixEntry): PlannedOp['args'] {
    switch (entry.f) {
      case 'browse-category':
        return { categoryId: entry.key(random), page: random.int(0, pages - 1) } satisfies OpArgs['browse-category'];
      case 'view-product':
        return { productId: entry.key(random) } satisfies OpArgs['view-product'];
      case 'add-to-cart':
        return {
          customerId: anyCustomer(),
          productId: entry.key(random),
          quantity: random.int(1, MAX_UNITS_PER_LINE),
        } satisfies OpArgs['add-to-cart'];
      case 'checkout':
        return checkoutArgs(entry);
      case 'order-history':
        return { customerId: customer(entry.key(random)) } satisfies OpArgs['order-history'];
      case 'rate-product':
        return { customerId: anyCustomer(), productId: entry.key(random), stars: pickStars(random) } satisfies OpArgs['rate-product'];
      case 'recommendations':
        return { customerId: customer(entry.key(random)) } satisfies OpArgs['recommendations'];
      case 'expire-carts':
        return { idleMs: spec.cartExpiry, limit: EXPIRE_CARTS_BATCH } satisfies OpArgs['expire-carts'];
      case 'restock':
        return {
          productId: entry.key(random),
          warehouseId: anyWarehouse(),
          quantity: random.int(RESTOCK_MIN, RESTOCK_MAX),
        } satisfies OpArgs['restock'];
      case 'browse-price': {
        const [minPrice, maxPrice] = PRICE_BANDS[entry.key(random) - 1]!;
        return { minPrice, maxPrice } satisfies OpArgs['browse-price'];
      }
    }
  }

  return {
    next(): PlannedOp {
      const entry = pickEntry();
      return { f: entry.f, target: entry.target, args: argsFor(entry) };
    },
  };
}

/** Ids of the customers in the given regions, ascending; undefined when every customer is served. */
export function servedCustomers(spec: WorkloadSpec, seed: number, regions: readonly Region[] | undefined): number[] | undefined {
  if (regions === undefined) return undefined;
  const wanted = new Set(regions);
  const ids: number[] = [];
  for (let id = 1; id <= spec.dataset.customers; id++) if (wanted.has(customerRegion(spec.dataset, seed, id))) ids.push(id);
  if (ids.length === 0) {
    throw new Error(`no customer of the dataset is in ${regions.join(', ')} (dataset.regions: ${spec.dataset.regions.join(', ')})`);
  }
  return ids;
}
