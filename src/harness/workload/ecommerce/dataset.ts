import type { DatasetSpec } from '../../scenario/schema.ts';
import { categoriesTable, inventoryTable, productsTable, warehousesTable } from './dataset-catalog.ts';
import { cartItemsTable, cartsTable, customersTable, ratingsTable } from './dataset-customers.ts';
import { orderItemsTable, ordersTable, paymentsTable, shipmentsTable } from './dataset-orders.ts';
import type { TableData } from './table-rows.ts';

/**
 * The whole seeded dataset, table by table, in load order. Nothing is generated until a table's
 * rows() is iterated, and iterating it twice gives the same rows.
 */
export function datasetTables(dataset: DatasetSpec, seed: number): readonly TableData[] {
  return [
    categoriesTable(dataset, seed),
    productsTable(dataset, seed),
    warehousesTable(dataset),
    inventoryTable(dataset),
    customersTable(dataset, seed),
    cartsTable(dataset, seed),
    cartItemsTable(dataset, seed),
    ratingsTable(dataset, seed),
    ordersTable(dataset, seed),
    orderItemsTable(dataset, seed),
    paymentsTable(dataset, seed),
    shipmentsTable(dataset, seed),
  ];
}
