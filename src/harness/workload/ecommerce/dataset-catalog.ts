import type { DatasetSpec } from '../../scenario/schema.ts';
import { createRandom } from '../random.ts';
import { seededFaker, isoSeconds, YEAR_MS } from './seeded-faker.ts';
import { DATASET_EPOCH_MS, formatCents, productPriceCents } from './seeded-facts.ts';
import type { TableData } from './table-rows.ts';

// The catalogue side of the dataset: categories, products, warehouses and their stock.

export function categoriesTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'categories',
    columns: ['id', 'name'],
    *rows() {
      const faker = seededFaker(seed, 'dataset.categories');
      const used = new Set<string>();
      for (let id = 1; id <= dataset.categories; id++) {
        // Faker has about twenty departments; later ones get a number to stay distinct.
        const department = faker.commerce.department();
        const name = used.has(department) ? `${department} ${id}` : department;
        used.add(name);
        yield [id, name];
      }
    },
  };
}

export function productsTable(dataset: DatasetSpec, seed: number): TableData {
  return {
    table: 'products',
    columns: ['id', 'name', 'category_id', 'price', 'description', 'created_at'],
    *rows() {
      const faker = seededFaker(seed, 'dataset.products');
      const random = createRandom(seed, 'dataset.products');
      for (let id = 1; id <= dataset.products; id++) {
        yield [
          id,
          faker.commerce.productName(),
          random.int(1, dataset.categories),
          formatCents(productPriceCents(seed, id)),
          faker.commerce.productDescription(),
          isoSeconds(DATASET_EPOCH_MS - random.int(YEAR_MS, 3 * YEAR_MS)),
        ];
      }
    },
  };
}

export function warehousesTable(dataset: DatasetSpec): TableData {
  return {
    table: 'warehouses',
    columns: ['id', 'region', 'name'],
    *rows() {
      for (const [index, region] of dataset.regions.entries()) {
        yield [index + 1, region, `${region} fulfilment centre`];
      }
    },
  };
}

/** Every product is stocked in every warehouse with the same initial quantity. */
export function inventoryTable(dataset: DatasetSpec): TableData {
  return {
    table: 'inventory',
    columns: ['product_id', 'warehouse_id', 'on_hand', 'initial_on_hand', 'restocked_total'],
    *rows() {
      for (let productId = 1; productId <= dataset.products; productId++) {
        for (let warehouseId = 1; warehouseId <= dataset.regions.length; warehouseId++) {
          yield [productId, warehouseId, dataset.initialStock, dataset.initialStock, 0];
        }
      }
    },
  };
}
