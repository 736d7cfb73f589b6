import { Decimal128 } from 'mongodb';
import type { DatasetSpec } from '../../../harness/scenario/schema.ts';
import { categoriesTable, inventoryTable, productsTable, warehousesTable } from '../../../harness/workload/ecommerce/dataset-catalog.ts';
import { cartItemsTable, cartsTable, customersTable, ratingsTable } from '../../../harness/workload/ecommerce/dataset-customers.ts';
import { orderItemsTable, ordersTable, paymentsTable, shipmentsTable } from '../../../harness/workload/ecommerce/dataset-orders.ts';
import { DATASET_EPOCH_MS } from '../../../harness/workload/ecommerce/seeded-facts.ts';
import type { Cell, TableData } from '../../../harness/workload/ecommerce/table-rows.ts';
import { dayOf, type CollectionName } from './documents.ts';

// The seeded dataset as documents, built from the very rows the PostgreSQL dialect COPYs (same
// seed, same customers, products, ratings, carts and past orders), so runs of both dialects
// start from the same shop. Row streams that belong together (an order and its items, payment
// and shipment) are walked side by side: each is in id order, and none is held in memory.

export interface CollectionData {
  readonly collection: CollectionName;
  documents(): Iterable<Record<string, unknown>>;
}

type Row = readonly Cell[];

const num = (cell: Cell | undefined) => Number(cell);
const text = (cell: Cell | undefined) => String(cell);
const date = (cell: Cell | undefined) => new Date(String(cell));
const decimal = (cell: Cell | undefined) => Decimal128.fromString(String(cell));

function* rows(table: TableData): Generator<Row> {
  yield* table.rows();
}

/** Takes from `stream` every row whose key (column 0) equals `key`; the stream is in key order. */
class Grouped {
  private next: IteratorResult<Row>;
  constructor(private readonly stream: Iterator<Row>) {
    this.next = stream.next();
  }
  take(key: number): Row[] {
    const taken: Row[] = [];
    while (!this.next.done && num(this.next.value[0]) < key) this.next = this.stream.next();
    while (!this.next.done && num(this.next.value[0]) === key) {
      taken.push(this.next.value);
      this.next = this.stream.next();
    }
    return taken;
  }
}

function mapped(collection: CollectionName, table: TableData, toDoc: (row: Row) => Record<string, unknown>): CollectionData {
  return {
    collection,
    *documents() {
      for (const row of rows(table)) yield toDoc(row);
    },
  };
}

function orders(dataset: DatasetSpec, seed: number): CollectionData {
  return {
    collection: 'orders',
    *documents() {
      const items = new Grouped(rows(orderItemsTable(dataset, seed)));
      const payments = new Grouped(rows(paymentsTable(dataset, seed)));
      const shipments = new Grouped(rows(shipmentsTable(dataset, seed)));
      for (const [id, customerId, region, status, total, createdAt, historical] of rows(ordersTable(dataset, seed))) {
        const [payment] = payments.take(num(id));
        const [shipment] = shipments.take(num(id));
        yield {
          _id: num(id),
          customerId: num(customerId),
          region: text(region),
          status: text(status),
          total: decimal(total),
          createdAt: date(createdAt),
          historical: historical === true,
          items: items.take(num(id)).map(([, line, productId, warehouseId, quantity, unitPrice]) => ({
            line: num(line),
            productId: num(productId),
            warehouseId: num(warehouseId),
            quantity: num(quantity),
            unitPrice: decimal(unitPrice),
          })),
          payment: { amount: decimal(payment?.[1]), method: text(payment?.[2]), status: text(payment?.[3]), createdAt: date(payment?.[4]) },
          shipment: { carrier: text(shipment?.[1]), address: text(shipment?.[2]), status: text(shipment?.[3]), createdAt: date(shipment?.[4]) },
        };
      }
    },
  };
}

function carts(dataset: DatasetSpec, seed: number, cartExpiryMs: number): CollectionData {
  return {
    collection: 'carts',
    *documents() {
      const items = new Grouped(rows(cartItemsTable(dataset, seed)));
      for (const [customerId, createdAt, updatedAt] of rows(cartsTable(dataset, seed))) {
        yield {
          _id: num(customerId),
          items: items.take(num(customerId)).map(([, productId, quantity, addedAt]) => ({ productId: num(productId), quantity: num(quantity), addedAt: date(addedAt) })),
          createdAt: date(createdAt),
          updatedAt: date(updatedAt),
          expiresAt: new Date(date(updatedAt).getTime() + cartExpiryMs),
        };
      }
    },
  };
}

/**
 * Every collection's documents in load order. Nothing is generated until iterated; iterating
 * twice gives the same documents.
 */
export function datasetDocuments(dataset: DatasetSpec, seed: number, cartExpiryMs: number): readonly CollectionData[] {
  const epochDay = dayOf(new Date(DATASET_EPOCH_MS));
  return [
    mapped('categories', categoriesTable(dataset, seed), ([id, name]) => ({ _id: num(id), name: text(name) })),
    mapped('products', productsTable(dataset, seed), ([id, name, categoryId, price, description, createdAt]) => ({
      _id: num(id),
      name: text(name),
      categoryId: num(categoryId),
      price: decimal(price),
      description: text(description),
      createdAt: date(createdAt),
    })),
    mapped('warehouses', warehousesTable(dataset), ([id, region, name]) => ({ _id: num(id), region: text(region), name: text(name) })),
    mapped('inventory', inventoryTable(dataset), ([productId, warehouseId, onHand, initialOnHand, restocked]) => ({
      _id: { productId: num(productId), warehouseId: num(warehouseId) },
      onHand: num(onHand),
      initialOnHand: num(initialOnHand),
      restockedTotal: num(restocked),
    })),
    // The opening bucket of every stock line: the day the dataset describes, nothing moved yet.
    mapped('dailyInventory', inventoryTable(dataset), ([productId, warehouseId]) => ({
      _id: { productId: num(productId), warehouseId: num(warehouseId), day: epochDay },
      unitsSold: 0,
      unitsRestocked: 0,
      movements: 0,
    })),
    mapped('customers', customersTable(dataset, seed), ([id, name, email, address, region, createdAt]) => ({
      _id: num(id),
      name: text(name),
      email: text(email),
      address: text(address),
      region: text(region),
      createdAt: date(createdAt),
      recommendedProducts: [],
    })),
    carts(dataset, seed, cartExpiryMs),
    mapped('ratings', ratingsTable(dataset, seed), ([customerId, productId, stars, createdAt]) => ({
      _id: { customerId: num(customerId), productId: num(productId) },
      customerId: num(customerId),
      productId: num(productId),
      stars: num(stars),
      createdAt: date(createdAt),
    })),
    orders(dataset, seed),
  ];
}
