import type { DatasetSpec, Region } from '../../scenario/schema.ts';
import { createRandom, sampleDistinct } from '../random.ts';
import { customerRecords } from './dataset-customers.ts';
import { isoSeconds, YEAR_MS } from './seeded-faker.ts';
import {
  customerRegion,
  DATASET_EPOCH_MS,
  formatCents,
  productPriceCents,
  regionWarehouseId,
  spreadCount,
} from './seeded-facts.ts';
import type { TableData } from './table-rows.ts';
import { CARRIERS, MAX_CHECKOUT_ITEMS, MAX_UNITS_PER_LINE, PAYMENT_METHODS } from './vocabulary.ts';

// Historical orders: the shop's past, loaded with the dataset. They are complete (items, one
// payment, a delivered shipment) but did not take stock: initial_on_hand is the stock at the
// start of the run, so only the run's own orders count in the conservation invariant.

interface HistoricalOrder {
  readonly id: number;
  readonly customerId: number;
  readonly region: Region;
  readonly createdAt: string;
  readonly totalCents: number;
  readonly method: string;
  readonly carrier: string;
  readonly items: readonly {
    readonly productId: number;
    readonly warehouseId: number;
    readonly quantity: number;
    readonly unitPriceCents: number;
  }[];
}

/**
 * Orders 1..floor(customers * ordersPerCustomer), in customer order. Each of the four tables
 * replays this stream rather than buffering it: it is cheap (no Faker) and always identical.
 */
function* historicalOrders(dataset: DatasetSpec, seed: number): Generator<HistoricalOrder> {
  const random = createRandom(seed, 'dataset.orders');
  let id = 0;
  for (let customerId = 1; customerId <= dataset.customers; customerId++) {
    const region = customerRegion(dataset, seed, customerId);
    const warehouseId = regionWarehouseId(dataset, region);
    for (let n = spreadCount(dataset.ordersPerCustomer, customerId); n > 0; n--) {
      id++;
      const count = Math.min(dataset.products, random.int(1, MAX_CHECKOUT_ITEMS));
      const items = sampleDistinct(random, dataset.products, count).map((productId) => ({
        productId,
        warehouseId,
        quantity: random.int(1, MAX_UNITS_PER_LINE),
        unitPriceCents: productPriceCents(seed, productId),
      }));
      yield {
        id,
        customerId,
        region,
        createdAt: isoSeconds(DATASET_EPOCH_MS - random.int(1, YEAR_MS)),
        totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
        method: random.pick(PAYMENT_METHODS),
        carrier: random.pick(CARRIERS),
        items,
      };
    }
  }
}

export function ordersTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'orders',
    columns: ['id', 'customer_id', 'region', 'status', 'total', 'created_at', 'historical'],
    *rows() {
      for (const o of historicalOrders(dataset, seed)) {
        yield [o.id, o.customerId, o.region, 'delivered', formatCents(o.totalCents), o.createdAt, true];
      }
    },
  };
}

export function orderItemsTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'order_items',
    columns: ['order_id', 'line', 'product_id', 'warehouse_id', 'quantity', 'unit_price'],
    *rows() {
      for (const o of historicalOrders(dataset, seed)) {
        for (const [index, item] of o.items.entries()) {
          yield [o.id, index + 1, item.productId, item.warehouseId, item.quantity, formatCents(item.unitPriceCents)];
        }
      }
    },
  };
}

export function paymentsTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'payments',
    columns: ['order_id', 'amount', 'method', 'status', 'created_at'],
    *rows() {
      for (const o of historicalOrders(dataset, seed)) {
        yield [o.id, formatCents(o.totalCents), o.method, 'captured', o.createdAt];
      }
    },
  };
}

export function shipmentsTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'shipments',
    columns: ['order_id', 'carrier', 'address', 'status', 'created_at'],
    *rows() {
      // Orders come in customer order, so walking the customer stream alongside them finds each
      // buyer's address without keeping customers in memory.
      const customers = customerRecords(dataset, seed);
      let customer = customers.next();
      for (const o of historicalOrders(dataset, seed)) {
        while (!customer.done && customer.value.id < o.customerId) customer = customers.next();
        if (customer.done) throw new Error(`customer ${o.customerId} missing from the customer stream`);
        yield [o.id, o.carrier, customer.value.address, 'delivered', o.createdAt];
      }
    },
  };
}
